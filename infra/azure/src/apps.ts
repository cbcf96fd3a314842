// Compute: one Container Apps environment (logs to Log Analytics, traces through its managed
// OpenTelemetry agent to Application Insights), one container app per deployable and one
// migration job each. Every secret comes from Key Vault through the app's own managed identity.
import * as pulumi from '@pulumi/pulumi';
import * as app from '@pulumi/azure-native/app/index.js';
import * as authorization from '@pulumi/azure-native/authorization/index.js';
import * as keyvault from '@pulumi/azure-native/keyvault/index.js';
import * as managedidentity from '@pulumi/azure-native/managedidentity/index.js';
import type { StackConfig } from './config.js';
import { COMMON_SECRETS, DEPLOYABLES, type Deployable } from './deployables.js';
import { tags } from './tags.js';

const KEY_VAULT_SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';
const ACR_PULL = '7f951dfd-4ed5-4c4b-9ab7-ac0f7e19c50d';
const BACKUP_MOUNT = '/var/lib/vigil/backups';

export interface Platform {
  rg: pulumi.Output<string>;
  prefix: string;
  subscriptionId: pulumi.Output<string>;
  environmentId: pulumi.Output<string>;
  defaultDomain: pulumi.Output<string>;
  vault: keyvault.Vault;
  registryId: pulumi.Output<string>;
  registryServer: pulumi.Output<string>;
  kafkaBootstrap: pulumi.Output<string>;
  /** Key Vault secret resources by name; an app may only reference these. */
  secrets: Map<string, keyvault.Secret>;
  backupStorageName?: pulumi.Output<string>;
}

const entry = (d: Deployable) => (d.name === 'console' ? 'server/server.ts' : 'src/server.ts');

function plainEnv(cfg: StackConfig, p: Platform, d: Deployable): { name: string; value: pulumi.Input<string> }[] {
  const internal = (svc: string) => `http://vigil-${svc}`;
  const env: { name: string; value: pulumi.Input<string> }[] = [
    { name: 'PORT', value: String(d.port) },
    { name: 'HOST', value: '0.0.0.0' },
    { name: 'NODE_ENV', value: 'production' },
    { name: 'LOG_LEVEL', value: 'info' },
    { name: 'KAFKA_BROKERS', value: p.kafkaBootstrap },
    { name: 'KAFKA_SSL', value: 'true' },
    { name: 'KAFKA_SASL_MECHANISM', value: 'plain' },
    // Event Hubs' literal SASL user name; the password (a connection string) is a secret.
    { name: 'KAFKA_SASL_USERNAME', value: '$ConnectionString' },
    // Hubs are created by this program from the catalog; services only check they exist.
    { name: 'KAFKA_CREATE_TOPICS', value: 'false' },
    // Event Hubs' recommended request timeout; its session timeout range (6-300 s) holds the bus's 12 s.
    { name: 'KAFKA_REQUEST_TIMEOUT_MS', value: '60000' },
    { name: 'KAFKA_TOPIC_PARTITIONS', value: String(cfg.sizing.eventHubs.partitions) },
    { name: 'KAFKA_REPLICATION_FACTOR', value: '3' },
    { name: 'VIGIL_BOOTSTRAP_TENANT', value: 'default' },
  ];
  const publicUrl = cfg.publicUrl ?? pulumi.interpolate`https://vigil-console.${p.defaultDomain}`;
  if (d.name === 'console') {
    for (const [svc, key] of [['gdpr', 'GDPR'], ['perf-collector', 'PERF'], ['alerting', 'ALERTING'], ['error-ingest', 'ERRORS'], ['dr-orchestrator', 'DR']] as const) env.push({ name: `CONSOLE_${key}_URL`, value: internal(svc) });
  }
  if (d.name === 'alerting') env.push({ name: 'ALERTING_EXTERNAL_URL', value: publicUrl });
  if (d.name === 'error-ingest') env.push({ name: 'ERRORS_PUBLIC_URL', value: publicUrl });
  if (d.name === 'perf-collector') env.push({ name: 'PERF_SELF_MONITOR_URLS', value: DEPLOYABLES.map((x) => internal(x.name)).join(',') });
  if (d.backupShare) env.push({ name: 'DR_REPOSITORY_ROOTS', value: BACKUP_MOUNT });
  if (d.name === 'dr-orchestrator') env.push({ name: 'DR_RUNBOOK_BASE_URL', value: pulumi.interpolate`${publicUrl}/runbooks` });
  return env;
}

export function deployable(cfg: StackConfig, p: Platform, d: Deployable): pulumi.CustomResource[] {
  const t = tags(cfg.environment, d.name);
  const size = cfg.sizing.apps[d.name];
  const identity = new managedidentity.UserAssignedIdentity(`id-${d.name}`, { resourceGroupName: p.rg, resourceName: `${p.prefix}-${d.name}`, location: cfg.location, tags: t });
  const resources: pulumi.CustomResource[] = [identity];
  const secretRefs = [...COMMON_SECRETS, ...d.secrets];
  const vaultSecrets = [...new Set([...secretRefs.map((s) => s.vaultName), 'kafka-sasl-username'])];
  // Least privilege: the identity reads only its own secrets, and pulls images.
  for (const name of vaultSecrets) {
    const secret = p.secrets.get(name);
    if (!secret) throw new Error(`${d.name} reads ${name}, which the vault does not define`);
    resources.push(new authorization.RoleAssignment(`kv-${d.name}-${name}`, {
      principalId: identity.principalId, principalType: 'ServicePrincipal', scope: secret.id,
      roleDefinitionId: pulumi.interpolate`/subscriptions/${p.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER}`,
    }));
  }
  resources.push(new authorization.RoleAssignment(`acr-${d.name}`, {
    principalId: identity.principalId, principalType: 'ServicePrincipal', scope: p.registryId,
    roleDefinitionId: pulumi.interpolate`/subscriptions/${p.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${ACR_PULL}`,
  }));
  if (!cfg.deployApps) return resources;

  const secrets = vaultSecrets.map((name) => ({ name, keyVaultUrl: p.secrets.get(name)!.properties.secretUri, identity: identity.id }));
  const env = [...plainEnv(cfg, p, d), ...secretRefs.map((s) => ({ name: s.env, secretRef: s.vaultName }))];
  const image = pulumi.interpolate`${p.registryServer}/vigil/${d.name}:${cfg.imageTag}`;
  const registries = [{ server: p.registryServer, identity: identity.id }];
  const volumes = d.backupShare && p.backupStorageName ? [{ name: 'backups', storageType: 'AzureFile', storageName: p.backupStorageName }] : [];
  const volumeMounts = volumes.length ? [{ volumeName: 'backups', mountPath: BACKUP_MOUNT }] : [];
  const container = {
    name: d.name, image, env, volumeMounts,
    resources: { cpu: size.cpu, memory: size.memory },
    probes: [
      { type: 'Liveness', httpGet: { path: '/healthz', port: d.port }, periodSeconds: 10, failureThreshold: 3 },
      { type: 'Readiness', httpGet: { path: '/readyz', port: d.port }, periodSeconds: 5, failureThreshold: 3 },
      { type: 'Startup', httpGet: { path: '/healthz', port: d.port }, periodSeconds: 5, failureThreshold: 30 },
    ],
  };
  const rules = d.consumerGroups.map((group) => ({
    name: `kafka-lag-${group}`,
    custom: {
      type: 'kafka',
      metadata: { bootstrapServers: p.kafkaBootstrap, consumerGroup: group, lagThreshold: String(cfg.sizing.lagThreshold), offsetResetPolicy: 'earliest', sasl: 'plaintext', tls: 'enable' },
      auth: [{ secretRef: 'kafka-sasl-username', triggerParameter: 'username' }, { secretRef: 'kafka-sasl-password', triggerParameter: 'password' }],
    },
  }));
  const roleAssignments = resources.slice(1);
  resources.push(new app.ContainerApp(`app-${d.name}`, {
    resourceGroupName: p.rg, containerAppName: `vigil-${d.name}`, location: cfg.location, managedEnvironmentId: p.environmentId,
    identity: { type: 'UserAssigned', userAssignedIdentities: [identity.id] },
    configuration: {
      // Multiple revisions: the deploy pipeline moves traffic by weight (canary) and rolls back.
      activeRevisionsMode: 'Multiple',
      ingress: { external: d.external, targetPort: d.port, transport: 'auto', allowInsecure: false, traffic: [{ latestRevision: true, weight: 100 }] },
      registries, secrets,
    },
    template: { containers: [container], scale: { minReplicas: size.minReplicas, maxReplicas: size.maxReplicas, rules }, volumes },
    tags: t,
  }, {
    dependsOn: roleAssignments,
    // The deploy pipeline owns the running image, the revision suffix and the traffic split.
    ignoreChanges: ['template.containers[0].image', 'template.revisionSuffix', 'configuration.ingress.traffic'],
  }));
  // Pre-deploy migrations: the new image boots (createServiceApp migrates), turns ready, exits.
  const migrate = `node --import tsx ${entry(d)} & pid=$!; until node -e "fetch('http://127.0.0.1:${d.port}/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; do kill -0 $pid || exit 1; sleep 2; done; kill -TERM $pid; wait $pid`;
  resources.push(new app.Job(`migrate-${d.name}`, {
    resourceGroupName: p.rg, jobName: `vigil-${d.name}-migrate`, location: cfg.location, environmentId: p.environmentId,
    identity: { type: 'UserAssigned', userAssignedIdentities: [identity.id] },
    configuration: { triggerType: 'Manual', replicaTimeout: 900, replicaRetryLimit: 0, manualTriggerConfig: { parallelism: 1, replicaCompletionCount: 1 }, registries, secrets },
    template: { containers: [{ name: `${d.name}-migrate`, image, command: ['sh', '-c', migrate], env, resources: { cpu: size.cpu, memory: size.memory } }] },
    tags: t,
  }, { dependsOn: roleAssignments, ignoreChanges: ['template.containers[0].image'] }));
  return resources;
}
