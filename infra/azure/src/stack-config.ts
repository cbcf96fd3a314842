// Reads one stack's Pulumi.<stack>.yaml (plus its encrypted secrets) into a StackConfig.
import type * as pulumi from '@pulumi/pulumi';
import type { Sizing, StackConfig } from './config.js';
import type { Environment } from './tags.js';

const ENVIRONMENTS: Environment[] = ['dev', 'staging', 'prod'];

export function loadStackConfig(vigil: pulumi.Config, azure: pulumi.Config): StackConfig {
  const environment = vigil.require('environment') as Environment;
  if (!ENVIRONMENTS.includes(environment)) throw new Error(`vigil:environment must be one of ${ENVIRONMENTS.join(', ')}, got ${environment}`);
  return {
    environment,
    location: azure.require('location'),
    imageTag: vigil.get('imageTag') ?? 'bootstrap',
    deployApps: vigil.getBoolean('deployApps') ?? true,
    publicUrl: vigil.get('publicUrl'),
    sizing: vigil.requireObject<Sizing>('sizing'),
    secrets: {
      postgresAdminPassword: vigil.requireSecret('postgresAdminPassword'),
      pseudonymKey: vigil.requireSecret('pseudonymKey'),
      bootstrapApiKey: vigil.requireSecret('bootstrapApiKey'),
      gdprAuditSigningSeed: vigil.requireSecret('gdprAuditSigningSeed'),
      perfSecretKey: vigil.requireSecret('perfSecretKey'),
      drSourceKey: vigil.requireSecret('drSourceKey'),
      consoleSessionSecret: vigil.requireSecret('consoleSessionSecret'),
    },
  };
}
