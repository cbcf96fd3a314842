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

export interface DedicatedKafkaCluster {
  /** KAFKA_BROKERS for the three nodes. */
  brokers: string;
  /** Broker port of node n (1..3). */
  port(node: number): number;
  start(): Promise<void>;
  /** SIGKILL of one node: no clean shutdown, no leadership hand-over. */
  killNode(node: number): Promise<void>;
  startNode(node: number): Promise<void>;
  /** Stops every node and deletes the cluster's data. */
  destroy(): Promise<void>;
}

/**
 * A private three-node KRaft cluster (infra/kafka's cluster profile: replication factor 3,
 * min.insync.replicas=2) on basePort, basePort+2, basePort+4 (controllers one port up), for
 * tests that kill brokers. Topics on it need KAFKA_REPLICATION_FACTOR=3.
 */
export function dedicatedKafkaCluster(basePort: number): DedicatedKafkaCluster {
  const script = new URL('../../../../infra/kafka/kafka.sh', import.meta.url).pathname;
  const data = new URL(`../../../../infra/kafka/.data-test-cluster-${basePort}`, import.meta.url).pathname;
  const env = { ...process.env, KAFKA_LOCAL_PROFILE: 'cluster', KAFKA_CLUSTER_PORT: String(basePort), KAFKA_CLUSTER_DATA: data, KAFKA_CLUSTER_HEAP: '384m' };
  const run = (...args: string[]) =>
    new Promise<void>((resolve, reject) =>
      execFile('bash', [script, ...args], { env }, (err, _out, stderr) => (err ? reject(new Error(`kafka.sh ${args.join(' ')} failed: ${stderr}`)) : resolve())),
    );
  const port = (node: number) => basePort + 2 * (node - 1);
  return {
    brokers: [1, 2, 3].map((n) => `127.0.0.1:${port(n)}`).join(','),
    port,
    start: () => run('start', 'cluster'),
    killNode: (node) => run('node-kill', String(node)),
    startNode: (node) => run('node-start', String(node)),
    destroy: () => run('reset', 'cluster'),
  };
}
