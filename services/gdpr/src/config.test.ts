// Boot refuses the development secrets in production, naming each variable (never its value).
import { describe, expect, it } from 'vitest';
import { loadServiceConfig } from './config.js';

const SEED = '7669676c2d6465762d6f6e6c792d61756469742d7369676e696e672d6b657921';

describe('gdpr config', () => {
  it('uses the development signing seed outside production', () => {
    expect(loadServiceConfig({}).GDPR_AUDIT_SIGNING_SEED).toBe(SEED);
  });

  it('refuses the development signing seed and pseudonym key with NODE_ENV=production', () => {
    expect(() => loadServiceConfig({ NODE_ENV: 'production' })).toThrow(
      /GDPR_AUDIT_SIGNING_SEED: the development default is refused when NODE_ENV=production; set a secret/,
    );
    let message = '';
    try {
      loadServiceConfig({ NODE_ENV: 'production', VIGIL_PSEUDONYM_KEY: 'p'.repeat(40) });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('GDPR_AUDIT_SIGNING_SEED: the development default is refused');
    expect(message).not.toContain('VIGIL_PSEUDONYM_KEY');
    expect(message).not.toContain(SEED);
  });

  it('boots in production with real secrets, and still checks the seed format', () => {
    const env = { NODE_ENV: 'production', VIGIL_PSEUDONYM_KEY: 'p'.repeat(40), GDPR_AUDIT_SIGNING_SEED: 'ab'.repeat(32) };
    expect(loadServiceConfig(env).GDPR_AUDIT_SIGNING_SEED).toBe('ab'.repeat(32));
    expect(() => loadServiceConfig({ ...env, GDPR_AUDIT_SIGNING_SEED: 'not-hex' })).toThrow(/GDPR_AUDIT_SIGNING_SEED/);
  });
});
