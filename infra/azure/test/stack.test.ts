// The invariants of issue 19 §2, on all three stacks, with the Pulumi engine mocked.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalog, DLQ_SUFFIX as BUS_DLQ_SUFFIX } from '../../../libs/events/src/index.js';
import { DEPLOYABLES } from '../src/deployables.js';
import { DLQ_SUFFIX, eventHubsTier, hubsFromCatalog, STANDARD_HUB_LIMIT } from '../src/topics.js';
import type { Environment } from '../src/tags.js';
import { runStack, type Recorded } from './mocks.js';

const ENVS: Environment[] = ['dev', 'staging', 'prod'];
const stacks = new Map<Environment, Recorded[]>();
const of = (env: Environment, type: string) => stacks.get(env)!.filter((r) => r.type === type);

interface EnvVar { name: string; value?: string; secretRef?: string }
interface Secret { name: string; value?: string; keyVaultUrl?: string; identity?: string }
interface Container { name: string; env: EnvVar[]; resources?: { cpu?: number; memory?: string }; probes?: { type: string; httpGet?: { path: string } }[] }
interface ScaleRule { name: string; custom?: { type: string; metadata: Record<string, string>; auth: { secretRef: string; triggerParameter: string }[] } }
interface AppInputs { containerAppName?: string; jobName?: string; configuration: { secrets?: Secret[] }; template: { containers: Container[]; scale?: { minReplicas: number; maxReplicas: number; rules?: ScaleRule[] } } }

beforeAll(async () => {
  // One stack at a time: setMocks replaces the runtime's monitor.
  for (const env of ENVS) stacks.set(env, await runStack(env));
});

const catalogTopics = [...new Set(catalog.map((d) => d.topic))];

describe('Event Hubs, generated from the catalog', () => {
  it('uses the same DLQ suffix as the bus', () => {
    expect(DLQ_SUFFIX).toBe(BUS_DLQ_SUFFIX);
  });

  it.each(ENVS)('%s: one hub per catalogued topic plus its DLQ twin, nothing else', (env) => {
    const names = of(env, 'azure-native:eventhub:EventHub').map((r) => r.inputs.eventHubName as string).sort();
    const expected = catalogTopics.flatMap((t) => [t, t + BUS_DLQ_SUFFIX]).sort();
    expect(names).toEqual(expected);
    expect(names).toHaveLength(catalogTopics.length * 2);
  });

  it.each(ENVS)('%s: compacted hubs are exactly the compacted catalogue topics', (env) => {
    const compacted = of(env, 'azure-native:eventhub:EventHub')
      .filter((r) => (r.inputs.retentionDescription as { cleanupPolicy: string }).cleanupPolicy === 'Compact')
      .map((r) => r.inputs.eventHubName as string)
      .sort();
    const expected = [...new Set(catalog.filter((d) => d.compacted).map((d) => d.topic))].sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(compacted).toEqual(expected);
  });

  it('picks Premium exactly when the hubs exceed Standard’s limit', () => {
    expect(eventHubsTier(STANDARD_HUB_LIMIT)).toBe('Standard');
    expect(eventHubsTier(STANDARD_HUB_LIMIT + 1)).toBe('Premium');
    expect(hubsFromCatalog([{ topic: 'a', compacted: false }])).toHaveLength(2);
    expect(eventHubsTier(hubsFromCatalog([{ topic: 'a', compacted: false }]).length)).toBe('Standard');
  });

  it.each(ENVS)('%s: the namespace tier follows the hub count, Kafka enabled', (env) => {
    const hubs = of(env, 'azure-native:eventhub:EventHub').length;
    const [ns] = of(env, 'azure-native:eventhub:Namespace');
    expect(hubs).toBeGreaterThan(STANDARD_HUB_LIMIT);
    expect((ns!.inputs.sku as { name: string }).name).toBe(hubs > STANDARD_HUB_LIMIT ? 'Premium' : 'Standard');
    expect(ns!.inputs.kafkaEnabled).toBe(true);
  });

  it.each(ENVS)('%s: every consumer group of every service exists on every topic hub', (env) => {
    const groups = of(env, 'azure-native:eventhub:ConsumerGroup').map((r) => `${r.inputs.consumerGroupName as string}`);
    for (const d of DEPLOYABLES) for (const g of d.consumerGroups) expect(groups.filter((x) => x === g)).toHaveLength(catalogTopics.length);
  });
});

describe('PostgreSQL Flexible Server', () => {
  const config = (env: Environment, name: string) => of(env, 'azure-native:dbforpostgresql:Configuration').find((r) => r.inputs.configurationName === name)?.inputs.value as string;

  it.each(ENVS)('%s: azure.extensions allows exactly pg_stat_statements, hypopg and amcheck; pg_stat_statements is preloaded', (env) => {
    expect(config(env, 'azure.extensions').split(',').sort()).toEqual(['AMCHECK', 'HYPOPG', 'PG_STAT_STATEMENTS']);
    expect(config(env, 'shared_preload_libraries').split(',')).toContain('pg_stat_statements');
  });

  it.each(ENVS)('%s: version 15, PITR retention set; zone-redundant HA in prod only', (env) => {
    const [server] = of(env, 'azure-native:dbforpostgresql:Server');
    expect(server!.inputs.version).toBe('15');
    expect((server!.inputs.backup as { backupRetentionDays: number }).backupRetentionDays).toBeGreaterThanOrEqual(7);
    expect((server!.inputs.highAvailability as { mode: string }).mode).toBe(env === 'prod' ? 'ZoneRedundant' : 'Disabled');
  });
});

describe('Container Apps', () => {
  const apps = (env: Environment) => of(env, 'azure-native:app:ContainerApp').map((r) => r.inputs as unknown as AppInputs);
  const jobs = (env: Environment) => of(env, 'azure-native:app:Job').map((r) => r.inputs as unknown as AppInputs);
  const SECRET_LIKE = /KEY|SECRET|PASSWORD|TOKEN|SEED|CONNECTION|DATABASE_URL|REDIS_URL/;

  it.each(ENVS)('%s: one app and one migration job per deployable', (env) => {
    expect(apps(env).map((a) => a.containerAppName).sort()).toEqual(DEPLOYABLES.map((d) => `vigil-${d.name}`).sort());
    expect(jobs(env).map((a) => a.jobName).sort()).toEqual(DEPLOYABLES.map((d) => `vigil-${d.name}-migrate`).sort());
  });

  it.each(ENVS)('%s: no app or job has a plaintext secret: every secret is a Key Vault reference through a managed identity', (env) => {
    for (const a of [...apps(env), ...jobs(env)]) {
      const secrets = a.configuration.secrets ?? [];
      expect(secrets.length).toBeGreaterThan(0);
      for (const s of secrets) {
        expect(s.value, `${a.containerAppName ?? a.jobName} secret ${s.name}`).toBeUndefined();
        expect(s.keyVaultUrl).toMatch(/^https:\/\/.+\.vault\.azure\.net\/secrets\//);
        expect(s.identity).toBeTruthy();
      }
      const declared = new Set(secrets.map((s) => s.name));
      for (const c of a.template.containers) {
        for (const e of c.env) {
          if (e.value !== undefined) expect(SECRET_LIKE.test(e.name), `${c.name}: ${e.name} is a plain value`).toBe(false);
          if (e.secretRef !== undefined) expect(declared.has(e.secretRef), `${c.name}: ${e.name} → ${e.secretRef}`).toBe(true);
        }
        expect(c.env.find((e) => e.name === 'DATABASE_URL')?.secretRef).toBe('database-url');
        expect(c.env.find((e) => e.name === 'KAFKA_CREATE_TOPICS')?.value).toBe('false');
      }
    }
  });

  it.each(ENVS)('%s: probes on /healthz and /readyz, CPU and memory set', (env) => {
    for (const a of apps(env)) {
      const [c] = a.template.containers;
      expect(c!.probes?.find((p) => p.type === 'Liveness')?.httpGet?.path).toBe('/healthz');
      expect(c!.probes?.find((p) => p.type === 'Readiness')?.httpGet?.path).toBe('/readyz');
      expect(c!.resources?.cpu).toBeGreaterThan(0);
      expect(c!.resources?.memory).toMatch(/^\d+(\.\d+)?Gi$/);
    }
  });

  it('prod runs at least 2 replicas of every app', () => {
    for (const a of apps('prod')) expect(a.template.scale!.minReplicas, a.containerAppName).toBeGreaterThanOrEqual(2);
  });

  it.each(ENVS)('%s: every consumer group has a KEDA Kafka lag scale rule on its app, authenticated from Key Vault', (env) => {
    for (const d of DEPLOYABLES) {
      const a = apps(env).find((x) => x.containerAppName === `vigil-${d.name}`)!;
      const rules = (a.template.scale!.rules ?? []).filter((r) => r.custom?.type === 'kafka');
      expect(rules.map((r) => r.custom!.metadata.consumerGroup).sort()).toEqual([...d.consumerGroups].sort());
      const declared = new Set((a.configuration.secrets ?? []).map((s) => s.name));
      for (const r of rules) {
        expect(Number(r.custom!.metadata.lagThreshold)).toBeGreaterThan(0);
        for (const auth of r.custom!.auth) expect(declared.has(auth.secretRef)).toBe(true);
      }
    }
  });
});

describe('tags', () => {
  // Whether an ARM type takes tags is read from the SDK's own typings: `tags?` in its Args.
  const sdk = path.dirname(createRequire(import.meta.url).resolve('@pulumi/azure-native/package.json'));
  const taggable = new Map<string, boolean>();
  const takesTags = (type: string) => {
    if (!taggable.has(type)) {
      const [, mod, cls] = type.split(':') as [string, string, string];
      const dts = readFileSync(path.join(sdk, mod, `${cls[0]!.toLowerCase()}${cls.slice(1)}.d.ts`), 'utf8');
      const args = dts.slice(dts.indexOf(`export interface ${cls}Args {`));
      taggable.set(type, /\n\s+tags\?:/.test(args.slice(0, args.indexOf('\n}'))));
    }
    return taggable.get(type)!;
  };
  const services = new Set(['platform', ...DEPLOYABLES.map((d) => d.name)]);

  it.each(ENVS)('%s: every resource that can be tagged carries environment and service', (env) => {
    const records = stacks.get(env)!.filter((r) => r.type.startsWith('azure-native:'));
    const tagged = records.filter((r) => takesTags(r.type));
    expect(tagged.length).toBeGreaterThan(20);
    for (const r of tagged) {
      const t = r.inputs.tags as Record<string, string> | undefined;
      expect(t?.environment, `${r.type} ${r.name}`).toBe(env);
      expect(services.has(t?.service ?? ''), `${r.type} ${r.name} service=${t?.service}`).toBe(true);
    }
    // The rest are ARM child resources without a tags property (hubs, consumer groups, role assignments…).
    const untagged = [...new Set(records.filter((r) => !takesTags(r.type)).map((r) => r.type))].sort();
    expect(untagged).not.toContain('azure-native:app:ContainerApp');
  });
});
