// Collects catalogued events of a test namespace straight from Kafka (what the services would see).
import { Registry } from 'prom-client';
import { EventBus, type AnyEventDefinition, type Envelope } from '@vigil/events';
import type { TestEnv } from '@vigil/service-kit/testing';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

export async function collect(env: TestEnv, defs: AnyEventDefinition[]): Promise<{ events: Envelope[]; bus: EventBus; stop(): Promise<void> }> {
  const bus = new EventBus({ brokers: env.env.KAFKA_BROKERS!.split(','), service: 'console-test', logger: quiet, registry: new Registry(), namespace: env.namespace });
  const events: Envelope[] = [];
  const group = `collect-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  for (const def of defs) bus.subscribe(def, async (e) => void events.push(e), { group, fromBeginning: true });
  await bus.start();
  return { events, bus, stop: () => bus.stop() };
}
