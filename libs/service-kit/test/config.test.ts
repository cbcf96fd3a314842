import { describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { BaseConfig, ConfigError, DevSecret, loadConfig } from '../src/index.js';

const Schema = { ...BaseConfig, PORT: Type.Integer({ default: 4000, minimum: 0, maximum: 65535 }) };

describe('loadConfig', () => {
  it('applies defaults and converts numbers', () => {
    const c = loadConfig(Schema, { PORT: '4555', KAFKA_TOPIC_PARTITIONS: '6' });
    expect(c.PORT).toBe(4555);
    expect(c.KAFKA_TOPIC_PARTITIONS).toBe(6);
    expect(c.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/vigil');
    expect(c.KAFKA_BROKERS).toBe('127.0.0.1:9092');
  });

  it('stops boot with a message naming each bad variable', () => {
    const attempt = () => loadConfig(Schema, { PORT: 'eighty', LOG_LEVEL: 'loud', KAFKA_BROKERS: 'a:1,,b:2' });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(message).toMatch(/PORT="eighty"/);
    expect(message).toMatch(/LOG_LEVEL="loud"/);
    expect(message).toMatch(/KAFKA_BROKERS/);
  });

  it('never echoes secret values in its errors', () => {
    try {
      loadConfig(Schema, { DATABASE_URL: 'mysql://user:hunter2@db/x' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/DATABASE_URL=\(hidden\)/);
      expect((err as Error).message).not.toContain('hunter2');
    }
  });
});

describe('DevSecret', () => {
  const WithSecrets = { ...Schema, PERF_SECRET_KEY: DevSecret('dev-perf-secret-key-0123456789abcdef', { description: 'seals target DSNs', minLength: 32 }) };

  it('uses the development default outside production', () => {
    const c = loadConfig(WithSecrets, {});
    expect(c.PERF_SECRET_KEY).toBe('dev-perf-secret-key-0123456789abcdef');
    expect(c.VIGIL_PSEUDONYM_KEY).toBe('dev-only-pseudonymisation-key-change-me');
    expect(loadConfig(WithSecrets, { NODE_ENV: 'test' }).NODE_ENV).toBe('test');
  });

  it('refuses every development default in production, naming each variable and no value', () => {
    let message = '';
    try {
      loadConfig(WithSecrets, { NODE_ENV: 'production' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toContain('PERF_SECRET_KEY: the development default is refused when NODE_ENV=production; set a secret');
    expect(message).toContain('VIGIL_PSEUDONYM_KEY: the development default is refused when NODE_ENV=production; set a secret');
    expect(message).not.toContain('dev-perf-secret-key');
    // Only the defaulted one is refused once the other is set.
    expect(() => loadConfig(WithSecrets, { NODE_ENV: 'production', VIGIL_PSEUDONYM_KEY: 'p'.repeat(40) })).toThrow(/PERF_SECRET_KEY: the development default/);
  });

  it('boots in production once every secret is set; the usual validation still applies', () => {
    const c = loadConfig(WithSecrets, { NODE_ENV: 'production', VIGIL_PSEUDONYM_KEY: 'p'.repeat(40), PERF_SECRET_KEY: 's'.repeat(40) });
    expect(c.PERF_SECRET_KEY).toBe('s'.repeat(40));
    expect(() => loadConfig(WithSecrets, { NODE_ENV: 'production', VIGIL_PSEUDONYM_KEY: 'short', PERF_SECRET_KEY: 's'.repeat(40) })).toThrow(/VIGIL_PSEUDONYM_KEY=\(hidden\)/);
  });
});
