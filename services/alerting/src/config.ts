// alerting configuration: the shared base plus this service's own variables, parsed once.
import { Type } from '@sinclair/typebox';
import { BaseConfig, loadConfig } from '@vigil/service-kit';

export const ConfigSchema = {
  ...BaseConfig,
  PORT: Type.Integer({ default: 4103, minimum: 0, maximum: 65535 }),
  ALERT_HEALTH_SCORE_FLOOR: Type.Integer({ default: 70, minimum: 0, maximum: 100, description: 'Health scores below this fire an alert' }),
};

export type Config = ReturnType<typeof loadServiceConfig>;

export const loadServiceConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(ConfigSchema, env);
