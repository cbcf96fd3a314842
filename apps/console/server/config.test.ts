import { describe, expect, it } from 'vitest';
import { ConfigError } from '@vigil/service-kit';
import { loadConsoleConfig } from './config.js';

describe('console config', () => {
  it('has working defaults in development', () => {
    const c = loadConsoleConfig({});
    expect(c.PORT).toBe(4100);
    expect(c.CONSOLE_ERRORS_URL).toBe('http://127.0.0.1:4104');
    expect(c.CONSOLE_INITIAL_PASSWORD_FILE).toMatch(/\.data\/console-admin-password$/);
  });

  it('refuses the development session secret when NODE_ENV=production, naming it', () => {
    expect(() => loadConsoleConfig({ NODE_ENV: 'production', VIGIL_PSEUDONYM_KEY: 'p'.repeat(40) })).toThrow(ConfigError);
    expect(() => loadConsoleConfig({ NODE_ENV: 'production', VIGIL_PSEUDONYM_KEY: 'p'.repeat(40) })).toThrow(/CONSOLE_SESSION_SECRET/);
    expect(loadConsoleConfig({ NODE_ENV: 'production', VIGIL_PSEUDONYM_KEY: 'p'.repeat(40), CONSOLE_SESSION_SECRET: 's'.repeat(40) }).CONSOLE_SESSION_SECRET).toBe('s'.repeat(40));
  });

  it('names a bad value', () => {
    expect(() => loadConsoleConfig({ CONSOLE_ERRORS_URL: 'ftp://x' })).toThrow(/CONSOLE_ERRORS_URL/);
  });
});
