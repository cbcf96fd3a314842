import { describe, expect, it } from 'vitest';
import { loadServiceConfig } from './config.js';

describe('perf-collector config', () => {
  it('refuses the development PERF_SECRET_KEY when NODE_ENV=production, naming the variable', () => {
    const production = { NODE_ENV: 'production', VIGIL_PSEUDONYM_KEY: 'p'.repeat(40) };
    expect(() => loadServiceConfig(production)).toThrow(/PERF_SECRET_KEY: the development default is refused when NODE_ENV=production/);
    expect(loadServiceConfig({ ...production, PERF_SECRET_KEY: 'ab'.repeat(32) }).PERF_SECRET_KEY).toBe('ab'.repeat(32));
    expect(loadServiceConfig({}).PERF_SECRET_KEY).toBe('0'.repeat(64));
  });
});
