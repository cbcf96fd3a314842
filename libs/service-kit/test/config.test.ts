import { describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { BaseConfig, ConfigError, loadConfig } from '../src/index.js';

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
