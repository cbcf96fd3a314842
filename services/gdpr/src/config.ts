// gdpr configuration: the shared base plus this service's own variables, parsed once.
import { Type } from '@sinclair/typebox';
import { BaseConfig, DevSecret, loadConfig } from '@vigil/service-kit';

export const ConfigSchema = {
  ...BaseConfig,
  PORT: Type.Integer({ default: 4101, minimum: 0, maximum: 65535 }),
  GDPR_AUDIT_SIGNING_SEED: DevSecret('7669676c2d6465762d6f6e6c792d61756469742d7369676e696e672d6b657921', {
    pattern: '^[0-9a-fA-F]{64}$',
    description: 'Ed25519 seed (32 bytes as hex) that signs audit-chain checkpoints; the dev default is refused when NODE_ENV=production',
  }),
  GDPR_CHECKPOINT_INTERVAL_MS: Type.Integer({ default: 60_000, minimum: 100, description: 'How often new audit entries get a signed checkpoint' }),
  GDPR_SCHEDULER_INTERVAL_MS: Type.Integer({ default: 30_000, minimum: 100, description: 'Deadline scan and retention purge period' }),
  GDPR_REQUEST_WARN_DAYS: Type.Number({ default: 5, minimum: 0, description: 'Warn this long before a request deadline while receipts are missing' }),
  GDPR_BREACH_WARN_HOURS: Type.Number({ default: 12, minimum: 0, description: 'Warn this long before the 72-hour breach notification deadline' }),
  GDPR_CLOSED_REQUEST_RETENTION_DAYS: Type.Number({
    default: 30,
    minimum: 0,
    description: 'Raw identifiers and export data of closed requests are purged after this many days (Art. 5(1)(e))',
  }),
};

export type Config = ReturnType<typeof loadServiceConfig>;

export const loadServiceConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(ConfigSchema, env);
