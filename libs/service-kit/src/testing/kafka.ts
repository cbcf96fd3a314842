// A second, private single-node broker (same infra/kafka script, another port and data
// folder) for tests that stop and restart Kafka without disturbing the shared one.
import { execFile } from 'node:child_process';

export interface DedicatedKafka {
  brokers: string;
  /** With `sasl`: the SASL_PLAINTEXT listener (PLAIN users as given, OAUTHBEARER unsecured JWTs). */
  saslBrokers?: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the broker and deletes its data. */
  destroy(): Promise<void>;
}

export interface DedicatedKafkaOptions {
  sasl?: { port: number; users: Record<string, string> };
}

export function dedicatedKafka(port: number, o: DedicatedKafkaOptions = {}): DedicatedKafka {
  const script = new URL('../../../../infra/kafka/kafka.sh', import.meta.url).pathname;
  const data = new URL(`../../../../infra/kafka/.data-test-${port}`, import.meta.url).pathname;
  const sasl = o.sasl ? { KAFKA_LOCAL_SASL_PORT: String(o.sasl.port), KAFKA_LOCAL_SASL_USERS: Object.entries(o.sasl.users).map(([u, p]) => `${u}=${p}`).join(',') } : {};
  const env = { ...process.env, KAFKA_LOCAL_PORT: String(port), KAFKA_LOCAL_CONTROLLER_PORT: String(port + 1), KAFKA_LOCAL_DATA: data, KAFKA_LOCAL_HEAP: '384m', ...sasl };
  const run = (cmd: string) =>
    new Promise<void>((resolve, reject) =>
      execFile('bash', [script, cmd], { env }, (err, _out, stderr) => (err ? reject(new Error(`kafka.sh ${cmd} failed: ${stderr}`)) : resolve())),
    );
  return {
    brokers: `127.0.0.1:${port}`,
    ...(o.sasl ? { saslBrokers: `127.0.0.1:${o.sasl.port}` } : {}),
    start: () => run('start'),
    stop: () => run('stop'),
    destroy: () => run('reset'),
  };
}
