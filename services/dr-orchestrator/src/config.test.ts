// Boot refuses the development source key in production, naming the variable (never its value).
import { describe, expect, it } from 'vitest';
import { loadServiceConfig } from './config.js';

const DEV_KEY = 'dev-only-dr-source-encryption-key-change-me';

describe('dr-orchestrator config', () => {
  it('uses the development source key outside production', () => {
    expect(loadServiceConfig({}).DR_SOURCE_KEY).toBe(DEV_KEY);
  });

  it('refuses the development source key with NODE_ENV=production', () => {
    let message = '';
    try {
      loadServiceConfig({ NODE_ENV: 'production', VIGIL_PSEUDONYM_KEY: 'p'.repeat(40) });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('DR_SOURCE_KEY: the development default is refused when NODE_ENV=production; set a secret');
    expect(message).not.toContain(DEV_KEY);
  });

  it('boots in production with a real key, and still checks its length', () => {
    const env = { NODE_ENV: 'production', VIGIL_PSEUDONYM_KEY: 'p'.repeat(40), DR_SOURCE_KEY: 's'.repeat(40) };
    expect(loadServiceConfig(env).DR_SOURCE_KEY).toBe('s'.repeat(40));
    expect(() => loadServiceConfig({ ...env, DR_SOURCE_KEY: 'short' })).toThrow(/DR_SOURCE_KEY/);
  });
});
