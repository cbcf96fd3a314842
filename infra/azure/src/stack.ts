// The whole of one environment. index.ts reads the stack's config and calls vigil(); the
// tests call it with each stack's config under pulumi.runtime.setMocks.
import * as pulumi from '@pulumi/pulumi';
import * as app from '@pulumi/azure-native/app/index.js';
import * as applicationinsights from '@pulumi/azure-native/applicationinsights/index.js';
import * as authorization from '@pulumi/azure-native/authorization/index.js';
import * as containerregistry from '@pulumi/azure-native/containerregistry/index.js';
import * as keyvault from '@pulumi/azure-native/keyvault/index.js';
import * as operationalinsights from '@pulumi/azure-native/operationalinsights/index.js';
import * as resources from '@pulumi/azure-native/resources/index.js';
import { deployable, type Platform } from './apps.js';
import type { StackConfig } from './config.js';
import { dataPlane } from './data.js';
import { DEPLOYABLES } from './deployables.js';
import { tags } from './tags.js';
import { hubsFromCatalog } from './topics.js';

export interface Vigil {
  resources: pulumi.CustomResource[];
  outputs: Record<string, pulumi.Output<string>>;
}

export function vigil(cfg: StackConfig): Vigil {
  const env = cfg.environment;
  const prefix = `vigil-${env}`;
  const platform = tags(env, 'platform');
  const client = authorization.getClientConfigOutput();
  const all: pulumi.CustomResource[] = [];
  const add = <R extends pulumi.CustomResource>(r: R): R => (all.push(r), r);

  const group = add(new resources.ResourceGroup('rg', { resourceGroupName: `rg-${prefix}`, location: cfg.location, tags: platform }));
  const rg = group.name;

  // Observability: Log Analytics for logs, Application Insights (workspace-based) for traces.
  const logs = add(new operationalinsights.Workspace('logs', { resourceGroupName: rg, workspaceName: `${prefix}-logs`, location: cfg.location, sku: { name: 'PerGB2018' }, retentionInDays: cfg.sizing.logRetentionDays, tags: platform }));
  const insights = add(new applicationinsights.Component('insights', { resourceGroupName: rg, resourceName: `${prefix}-insights`, location: cfg.location, kind: 'web', applicationType: 'web', workspaceResourceId: logs.id, ingestionMode: 'LogAnalytics', tags: platform }));
  const logKeys = operationalinsights.getSharedKeysOutput({ resourceGroupName: rg, workspaceName: logs.name });

  const registry = add(new containerregistry.Registry('acr', { resourceGroupName: rg, registryName: `${prefix.replace(/-/g, '')}acr`, location: cfg.location, sku: { name: cfg.sizing.registrySku }, adminUserEnabled: false, tags: platform }));

  const hubs = hubsFromCatalog();
  const data = dataPlane(cfg, rg, prefix, hubs);
  all.push(...data.resources);

  // Key Vault (RBAC): every secret an app reads. Values come from stack secrets or from the
  // resources above; they never appear as plain app settings.
  const vault = add(new keyvault.Vault('kv', {
    resourceGroupName: rg, vaultName: `${prefix}-kv`.slice(0, 24), location: cfg.location,
    properties: { tenantId: client.tenantId, sku: { family: 'A', name: 'standard' }, enableRbacAuthorization: true, enableSoftDelete: true, softDeleteRetentionInDays: 90, enablePurgeProtection: true },
    tags: platform,
  }));
  const values: Record<string, pulumi.Input<string>> = {
    'database-url': data.databaseUrl,
    'redis-url': data.redisUrl,
    'kafka-sasl-password': data.kafkaConnectionString,
    'kafka-sasl-username': '$ConnectionString',
    'vigil-pseudonym-key': cfg.secrets.pseudonymKey,
    'vigil-bootstrap-api-key': cfg.secrets.bootstrapApiKey,
    'gdpr-audit-signing-seed': cfg.secrets.gdprAuditSigningSeed,
    'perf-secret-key': cfg.secrets.perfSecretKey,
    'dr-source-key': cfg.secrets.drSourceKey,
    'console-session-secret': cfg.secrets.consoleSessionSecret,
  };
  const secrets = new Map<string, keyvault.Secret>();
  for (const [name, value] of Object.entries(values)) {
    secrets.set(name, add(new keyvault.Secret(`secret-${name}`, { resourceGroupName: rg, vaultName: vault.name, secretName: name, properties: { value: pulumi.secret(value) }, tags: platform })));
  }

  const environment = add(new app.ManagedEnvironment('cae', {
    resourceGroupName: rg, environmentName: `${prefix}-cae`, location: cfg.location,
    appLogsConfiguration: { destination: 'log-analytics', logAnalyticsConfiguration: { customerId: logs.customerId, sharedKey: logKeys.apply((k) => k.primarySharedKey ?? '') } },
    appInsightsConfiguration: { connectionString: insights.connectionString },
    // Services export OTLP to the environment's managed agent, which forwards to App Insights.
    openTelemetryConfiguration: { tracesConfiguration: { destinations: ['appInsights'] }, logsConfiguration: { destinations: ['appInsights'] } },
    tags: platform,
  }));
  const backups = add(new app.ManagedEnvironmentsStorage('backups', {
    resourceGroupName: rg, environmentName: environment.name, storageName: 'dr-backups',
    properties: { azureFile: { accountName: data.storageAccountName, accountKey: data.storageAccountKey, shareName: data.backupShareName, accessMode: 'ReadWrite' } },
  }));

  const p: Platform = {
    rg, prefix, subscriptionId: client.subscriptionId, environmentId: environment.id, defaultDomain: environment.defaultDomain,
    vault, registryId: registry.id, registryServer: registry.loginServer, kafkaBootstrap: data.kafkaBootstrap, secrets, backupStorageName: backups.name,
  };
  for (const d of DEPLOYABLES) all.push(...deployable(cfg, p, d));

  return {
    resources: all,
    outputs: {
      resourceGroup: rg,
      acrName: registry.name,
      acrLoginServer: registry.loginServer,
      keyVault: vault.name,
      kafkaBootstrap: data.kafkaBootstrap,
      consoleUrl: cfg.publicUrl ? pulumi.output(cfg.publicUrl) : pulumi.interpolate`https://vigil-console.${environment.defaultDomain}`,
    },
  };
}
