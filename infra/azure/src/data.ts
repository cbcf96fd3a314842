// Stateful services: Event Hubs (Kafka endpoint), PostgreSQL Flexible Server, Azure Managed
// Redis, and the geo-redundant storage that holds dr-orchestrator's backup repository.
import * as pulumi from '@pulumi/pulumi';
import * as dbforpostgresql from '@pulumi/azure-native/dbforpostgresql/index.js';
import * as eventhub from '@pulumi/azure-native/eventhub/index.js';
import * as redisenterprise from '@pulumi/azure-native/redisenterprise/index.js';
import * as storage from '@pulumi/azure-native/storage/index.js';
import type { StackConfig } from './config.js';
import { DEPLOYABLES } from './deployables.js';
import { tags } from './tags.js';
import { eventHubsTier, type Hub } from './topics.js';

/** The only extensions Vigil needs; azure.extensions is an allowlist. */
export const POSTGRES_EXTENSIONS = ['PG_STAT_STATEMENTS', 'HYPOPG', 'AMCHECK'] as const;
export const POSTGRES_PRELOAD = ['pg_stat_statements'] as const;

export interface DataPlane {
  kafkaBootstrap: pulumi.Output<string>;
  kafkaConnectionString: pulumi.Output<string>;
  databaseUrl: pulumi.Output<string>;
  redisUrl: pulumi.Output<string>;
  storageAccountName: pulumi.Output<string>;
  storageAccountKey: pulumi.Output<string>;
  backupShareName: pulumi.Output<string>;
  resources: pulumi.CustomResource[];
}

export function dataPlane(cfg: StackConfig, rg: pulumi.Output<string>, prefix: string, hubs: Hub[]): DataPlane {
  const env = cfg.environment;
  const s = cfg.sizing;
  const platform = tags(env, 'platform');
  const resources: pulumi.CustomResource[] = [];
  const add = <R extends pulumi.CustomResource>(r: R): R => (resources.push(r), r);

  // Event Hubs: Kafka endpoint on :9093 (SASL_SSL). Premium as soon as Standard's hub limit is exceeded.
  const tier = eventHubsTier(hubs.length);
  const ns = add(new eventhub.Namespace('events', {
    resourceGroupName: rg, namespaceName: `${prefix}-events`, location: cfg.location,
    sku: { name: tier, tier, capacity: s.eventHubs.capacity },
    kafkaEnabled: true, minimumTlsVersion: '1.2', zoneRedundant: s.zoneRedundant, disableLocalAuth: false, tags: platform,
  }));
  for (const hub of hubs) {
    const h = add(new eventhub.EventHub(`hub-${hub.name}`, {
      resourceGroupName: rg, namespaceName: ns.name, eventHubName: hub.name, partitionCount: s.eventHubs.partitions,
      retentionDescription: hub.compacted
        ? { cleanupPolicy: 'Compact', tombstoneRetentionTimeInHours: 24 }
        : { cleanupPolicy: 'Delete', retentionTimeInHours: s.eventHubs.retentionHours },
    }));
    if (hub.dlq) continue;
    for (const group of DEPLOYABLES.flatMap((d) => d.consumerGroups)) {
      add(new eventhub.ConsumerGroup(`cg-${hub.name}-${group}`, { resourceGroupName: rg, namespaceName: ns.name, eventHubName: h.name, consumerGroupName: group }));
    }
  }
  // Apps send and listen; they cannot manage the namespace.
  const rule = add(new eventhub.NamespaceAuthorizationRule('events-apps', { resourceGroupName: rg, namespaceName: ns.name, authorizationRuleName: 'vigil-apps', rights: ['Listen', 'Send'] }));
  const keys = eventhub.listNamespaceKeysOutput({ resourceGroupName: rg, namespaceName: ns.name, authorizationRuleName: rule.name });

  // PostgreSQL 15 Flexible Server: zone-redundant HA where configured (prod), PITR retention.
  const pg = add(new dbforpostgresql.Server('postgres', {
    resourceGroupName: rg, serverName: `${prefix}-pg`, location: cfg.location, version: '15',
    sku: { name: s.postgres.sku, tier: s.postgres.tier },
    storage: { storageSizeGB: s.postgres.storageGb, autoGrow: 'Enabled' },
    backup: { backupRetentionDays: s.postgres.backupRetentionDays, geoRedundantBackup: s.postgres.geoRedundantBackup ? 'Enabled' : 'Disabled' },
    highAvailability: { mode: s.postgres.highAvailability ? 'ZoneRedundant' : 'Disabled' },
    administratorLogin: 'vigil_admin', administratorLoginPassword: cfg.secrets.postgresAdminPassword,
    authConfig: { passwordAuth: 'Enabled', activeDirectoryAuth: 'Enabled' },
    tags: platform,
  }));
  // Server parameters are applied one at a time (the server rejects concurrent updates).
  const extensions = add(new dbforpostgresql.Configuration('pg-extensions', { resourceGroupName: rg, serverName: pg.name, configurationName: 'azure.extensions', value: POSTGRES_EXTENSIONS.join(','), source: 'user-override' }));
  const preload = add(new dbforpostgresql.Configuration('pg-preload', { resourceGroupName: rg, serverName: pg.name, configurationName: 'shared_preload_libraries', value: POSTGRES_PRELOAD.join(','), source: 'user-override' }, { dependsOn: [extensions] }));
  add(new dbforpostgresql.Configuration('pg-track', { resourceGroupName: rg, serverName: pg.name, configurationName: 'pg_stat_statements.track', value: 'all', source: 'user-override' }, { dependsOn: [preload] }));
  const db = add(new dbforpostgresql.Database('vigil-db', { resourceGroupName: rg, serverName: pg.name, databaseName: 'vigil', charset: 'UTF8', collation: 'en_US.utf8' }));
  // Container Apps reach the server over its public endpoint, restricted to Azure services.
  add(new dbforpostgresql.FirewallRule('pg-azure', { resourceGroupName: rg, serverName: pg.name, firewallRuleName: 'azure-services', startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' }));
  const databaseUrl = pulumi.secret(pulumi.interpolate`postgres://vigil_admin:${pulumi.output(cfg.secrets.postgresAdminPassword).apply(encodeURIComponent)}@${pg.fullyQualifiedDomainName}:5432/${db.name}?sslmode=require`);

  // Azure Managed Redis (Microsoft.Cache/redisEnterprise): TLS on 10000, one endpoint (proxy clustering).
  const redis = add(new redisenterprise.RedisEnterprise('redis', {
    resourceGroupName: rg, clusterName: `${prefix}-redis`, location: cfg.location, sku: { name: s.redis.sku },
    minimumTlsVersion: '1.2', highAvailability: s.redis.highAvailability ? 'Enabled' : 'Disabled', publicNetworkAccess: 'Enabled', tags: platform,
  }));
  const redisDb = add(new redisenterprise.Database('redis-db', {
    resourceGroupName: rg, clusterName: redis.name, databaseName: 'default', clientProtocol: 'Encrypted', port: 10000,
    clusteringPolicy: 'EnterpriseCluster', evictionPolicy: 'NoEviction', accessKeysAuthentication: 'Enabled',
  }));
  const redisKeys = redisenterprise.listDatabaseKeysOutput({ resourceGroupName: rg, clusterName: redis.name, databaseName: redisDb.name });
  const redisUrl = pulumi.secret(pulumi.interpolate`rediss://:${redisKeys.primaryKey.apply((k) => encodeURIComponent(k ?? ''))}@${redis.hostName}:10000`);

  // Backups: geo-redundant storage, an Azure Files share mounted into dr-orchestrator.
  const account = add(new storage.StorageAccount('backups', {
    resourceGroupName: rg, accountName: `${prefix.replace(/-/g, '')}bk`.slice(0, 24), location: cfg.location,
    kind: 'StorageV2', sku: { name: s.storageSku }, minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false, enableHttpsTrafficOnly: true,
    tags: tags(env, 'dr-orchestrator'),
  }));
  const share = add(new storage.FileShare('dr-backups', { resourceGroupName: rg, accountName: account.name, shareName: 'dr-backups', shareQuota: s.backupShareGb, enabledProtocols: 'SMB' }));
  const accountKey = storage.listStorageAccountKeysOutput({ resourceGroupName: rg, accountName: account.name }).keys.apply((k) => k[0]?.value ?? '');

  return {
    kafkaBootstrap: pulumi.interpolate`${ns.name}.servicebus.windows.net:9093`,
    kafkaConnectionString: pulumi.secret(keys.primaryConnectionString.apply((c) => c ?? '')),
    databaseUrl, redisUrl,
    storageAccountName: account.name, storageAccountKey: pulumi.secret(accountKey), backupShareName: share.name,
    resources,
  };
}
