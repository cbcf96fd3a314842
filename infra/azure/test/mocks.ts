// pulumi.runtime.setMocks: records every resource the program registers, with its inputs,
// and answers the few invokes (keys, client config) with fixed values.
import * as pulumi from '@pulumi/pulumi';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { StackConfig } from '../src/config.js';
import { vigil } from '../src/stack.js';
import type { Environment } from '../src/tags.js';

export interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

const SIG = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

/** Inputs with Pulumi's secret wrappers removed, so tests see the values the provider would get. */
function unwrap(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrap);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o[SIG] === SECRET_SIG) return unwrap(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrap(x)]));
  }
  return v;
}

const HERE = path.dirname(new URL(import.meta.url).pathname);

export function stackFile(env: Environment): Record<string, unknown> {
  const file = parse(readFileSync(path.join(HERE, '..', `Pulumi.${env}.yaml`), 'utf8')) as { config: Record<string, unknown> };
  return file.config;
}

function configOf(env: Environment): StackConfig {
  const c = stackFile(env);
  const secret = (n: string) => pulumi.secret(`test-${n}-0123456789abcdef0123456789abcdef`);
  return {
    environment: c['vigil:environment'] as Environment,
    location: c['azure-native:location'] as string,
    imageTag: (c['vigil:imageTag'] as string | undefined) ?? 'bootstrap',
    deployApps: true,
    sizing: c['vigil:sizing'] as StackConfig['sizing'],
    secrets: {
      postgresAdminPassword: secret('pg'), pseudonymKey: secret('pseudonym'), bootstrapApiKey: secret('api'),
      gdprAuditSigningSeed: secret('seed'), perfSecretKey: secret('perf'), drSourceKey: secret('dr'), consoleSessionSecret: secret('console'),
    },
  };
}

/** Runs the program for one stack under mocks and returns every registered resource. */
export async function runStack(env: Environment): Promise<Recorded[]> {
  const recorded: Recorded[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = unwrap(args.inputs) as Record<string, unknown>;
        recorded.push({ type: args.type, name: args.name, inputs });
        const id = `/subscriptions/sub/resourceGroups/rg/providers/${args.type}/${args.name}`;
        const properties = { ...((inputs.properties as object | undefined) ?? {}), secretUri: `https://kv.vault.azure.net/secrets/${String(inputs.secretName ?? args.name)}` };
        return { id, state: { ...inputs, name: inputs.name ?? args.name, loginServer: `${args.name}.azurecr.io`, properties } };
      },
      call(args) {
        if (args.token.endsWith('getClientConfig')) return { tenantId: 'tenant', subscriptionId: 'sub', clientId: 'client', objectId: 'object' };
        if (args.token.endsWith('listNamespaceKeys')) return { primaryConnectionString: 'Endpoint=sb://mock/;SharedAccessKeyName=vigil-apps;SharedAccessKey=x' };
        if (args.token.endsWith('listDatabaseKeys')) return { primaryKey: 'redis-key' };
        if (args.token.endsWith('listStorageAccountKeys')) return { keys: [{ value: 'storage-key' }] };
        if (args.token.endsWith('getSharedKeys')) return { primarySharedKey: 'log-key' };
        return {};
      },
    },
    'vigil',
    env,
    false,
  );
  const { resources } = vigil(configOf(env));
  // Positive signal: every resource the program created has finished registering.
  await Promise.all(resources.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
  if (recorded.length < resources.length) throw new Error(`only ${recorded.length} of ${resources.length} resources registered`);
  return recorded;
}
