// The six things we deploy, with what the infrastructure must know about each: port, the
// consumer groups it runs (each gets an Event Hubs consumer group and a KEDA scale rule),
// the secrets it reads, and whether it is reachable from the internet.
export type DeployableName = 'gdpr' | 'perf-collector' | 'alerting' | 'error-ingest' | 'dr-orchestrator' | 'console';

/** A secret in Key Vault: its vault name and the environment variable the app reads it into. */
export interface SecretRef {
  vaultName: string;
  env: string;
}

export interface Deployable {
  name: DeployableName;
  port: number;
  /** Kafka consumer groups (EventBus: the service name, plus any `{ group }` of its subscriptions). */
  consumerGroups: string[];
  secrets: SecretRef[];
  /** Public ingress; the others are reachable only inside the Container Apps environment. */
  external: boolean;
  /** Mounts the Azure Files backup share (dr-orchestrator's repository). */
  backupShare?: boolean;
}

/** Every app reads these: connection strings carry credentials, the keys are shared secrets. */
export const COMMON_SECRETS: SecretRef[] = [
  { vaultName: 'database-url', env: 'DATABASE_URL' },
  { vaultName: 'redis-url', env: 'REDIS_URL' },
  { vaultName: 'kafka-sasl-password', env: 'KAFKA_SASL_PASSWORD' },
  { vaultName: 'vigil-pseudonym-key', env: 'VIGIL_PSEUDONYM_KEY' },
  { vaultName: 'vigil-bootstrap-api-key', env: 'VIGIL_BOOTSTRAP_API_KEY' },
];

export const DEPLOYABLES: readonly Deployable[] = [
  { name: 'gdpr', port: 4101, consumerGroups: ['gdpr', 'gdpr-audit'], secrets: [{ vaultName: 'gdpr-audit-signing-seed', env: 'GDPR_AUDIT_SIGNING_SEED' }], external: false },
  { name: 'perf-collector', port: 4102, consumerGroups: ['perf-collector'], secrets: [{ vaultName: 'perf-secret-key', env: 'PERF_SECRET_KEY' }], external: false },
  { name: 'alerting', port: 4103, consumerGroups: ['alerting'], secrets: [], external: false },
  { name: 'error-ingest', port: 4104, consumerGroups: ['error-ingest'], secrets: [], external: false },
  { name: 'dr-orchestrator', port: 4105, consumerGroups: ['dr-orchestrator'], secrets: [{ vaultName: 'dr-source-key', env: 'DR_SOURCE_KEY' }], external: false, backupShare: true },
  { name: 'console', port: 4100, consumerGroups: ['console'], secrets: [{ vaultName: 'console-session-secret', env: 'CONSOLE_SESSION_SECRET' }], external: true },
];

/** Every distinct secret any app reads. */
export function allSecretNames(): string[] {
  return [...new Set([...COMMON_SECRETS, ...DEPLOYABLES.flatMap((d) => d.secrets)].map((s) => s.vaultName)), 'kafka-sasl-username'].sort();
}
