// gdpr configuration: the shared base plus this service's own variables, parsed once.
import { Type } from '@sinclair/typebox';
import { BaseConfig, loadConfig } from '@vigil/service-kit';

export const ConfigSchema = {
  ...BaseConfig,
  PORT: Type.Integer({ default: 4101, minimum: 0, maximum: 65535 }),
};

export type Config = ReturnType<typeof loadServiceConfig>;

export const loadServiceConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(ConfigSchema, env);
