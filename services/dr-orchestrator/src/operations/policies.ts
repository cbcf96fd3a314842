// Policy use cases for the API: validate, seal the source URL, store; views never carry secrets.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { pageInMemory, sealSecret, type Page, type PageRequest } from '@vigil/service-kit';
import type { Config } from '../config.js';
import { deletePolicy, getPolicy, insertPolicy, listPolicies, updatePolicy, type Policy, type PolicyPatch } from '../db/policies.js';
import { checkPolicyInput, type PolicyInput } from '../domain/policy-input.js';
import { AZURE_KEY_SECRET_CONTEXT, CIPHER_PASS_SECRET_CONTEXT, physicalProblems, physicalSettings, type PhysicalSettings } from '../domain/physical-policy.js';
import { nextRunAfter } from '../domain/schedule.js';
import { redactSourceUrl, SOURCE_URL_SECRET_CONTEXT } from '../domain/source-url.js';
import { policyBusy, policyInvalid, policyNotFound } from '../errors.js';
import type { OperationRunner } from './runner.js';

export function policyView(p: Policy, now = new Date()) {
  return {
    id: p.id,
    name: p.name,
    database: p.database,
    source: p.sourceDisplay,
    schedule: p.schedule,
    jobs: p.jobs,
    repositoryPath: p.repositoryPath,
    retentionCount: p.retentionCount,
    rpoTargetSeconds: p.rpoTargetSeconds,
    rtoTargetSeconds: p.rtoTargetSeconds,
    drillSchedule: p.drillSchedule,
    enabled: p.enabled,
    kind: p.kind,
    // Secrets never leave: the Azure key is shown as set or not.
    physical: p.physical ? { ...p.physical, azure: p.physical.azure ? { ...p.physical.azure, key: '***' } : null } : null,
    nextBackupAt: p.enabled ? (nextRunAfter(p.schedule, now)?.toISOString() ?? null) : null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export type PolicyView = ReturnType<typeof policyView>;

function validated(input: PolicyInput, config: Config, policyId: string, prev?: Policy): PolicyPatch {
  const roots = config.DR_REPOSITORY_ROOTS.split(',').filter(Boolean);
  const { problems, source } = checkPolicyInput(input, roots);
  const kind = input.kind ?? prev?.kind ?? 'logical';
  if (prev && input.kind && input.kind !== prev.kind) problems.push(`kind cannot change (policy is ${prev.kind}); create a new policy`);
  if (kind === 'logical' && input.physical) problems.push('physical settings are only allowed when kind is physical');
  let physical: PhysicalSettings | undefined;
  if (kind === 'physical' && (input.physical || !prev)) {
    const { azure, ...rest } = input.physical ?? {};
    physical = physicalSettings(rest, policyId, prev?.physical ?? undefined);
    if (azure) physical.azure = { ...azure, key: sealSecret(azure.key, config.DR_SOURCE_KEY, AZURE_KEY_SECRET_CONTEXT) };
    else if (azure === null) physical.azure = null;
    problems.push(...physicalProblems(physical));
  }
  if (problems.length) throw policyInvalid(problems.join('; '));
  const { sourceUrl, physical: _physical, ...rest } = input;
  void _physical;
  return {
    ...rest,
    ...(physical ? { physical } : {}),
    // The repository passphrase: random, made once, stored sealed; only pgBackRest's generated config holds it in clear.
    ...(kind === 'physical' && !prev?.cipherPassEnc ? { cipherPassEnc: sealSecret(randomBytes(32).toString('base64url'), config.DR_SOURCE_KEY, CIPHER_PASS_SECRET_CONTEXT) } : {}),
    ...(source && sourceUrl
      ? { sourceUrlEnc: sealSecret(sourceUrl, config.DR_SOURCE_KEY, SOURCE_URL_SECRET_CONTEXT), sourceDisplay: redactSourceUrl(source), database: source.database }
      : {}),
  };
}

export async function createPolicy(pool: Pool, config: Config, tenantId: string, input: PolicyInput & { sourceUrl: string; schedule: string; repositoryPath: string }): Promise<PolicyView> {
  const id = randomUUID();
  const patch = validated(input, config, id);
  const p = await insertPolicy(pool, {
    id,
    tenantId,
    name: input.name ?? patch.database ?? '',
    database: patch.database!,
    sourceDisplay: patch.sourceDisplay!,
    sourceUrlEnc: patch.sourceUrlEnc!,
    schedule: input.schedule,
    jobs: input.jobs ?? 2,
    repositoryPath: input.repositoryPath,
    retentionCount: input.retentionCount ?? 7,
    rpoTargetSeconds: input.rpoTargetSeconds ?? 86_400,
    rtoTargetSeconds: input.rtoTargetSeconds ?? 3_600,
    drillSchedule: input.drillSchedule ?? null,
    enabled: input.enabled ?? true,
    kind: input.kind ?? 'logical',
    physical: patch.physical ?? null,
    cipherPassEnc: patch.cipherPassEnc ?? null,
  });
  return policyView(p);
}

export async function changePolicy(pool: Pool, config: Config, tenantId: string, id: string, input: PolicyInput): Promise<PolicyView> {
  const prev = await requirePolicy(pool, tenantId, id);
  const p = await updatePolicy(pool, tenantId, id, validated(input, config, id, prev));
  if (!p) throw policyNotFound(id);
  return policyView(p);
}

export async function requirePolicy(pool: Pool, tenantId: string, id: string): Promise<Policy> {
  const p = await getPolicy(pool, tenantId, id);
  if (!p) throw policyNotFound(id);
  return p;
}

/** Oldest first (created_at, id); a tenant's policies are few, so they are paged in memory. */
export async function policyViews(pool: Pool, tenantId: string, page: PageRequest): Promise<Page<PolicyView>> {
  return pageInMemory((await listPolicies(pool, tenantId)).map((p) => policyView(p)), page, (p) => [p.createdAt, p.id], ['asc', 'asc']);
}

export async function policyDetail(pool: Pool, tenantId: string, id: string): Promise<PolicyView> {
  return policyView(await requirePolicy(pool, tenantId, id));
}

export async function removePolicy(pool: Pool, runner: OperationRunner, tenantId: string, id: string): Promise<void> {
  // Deleting under a running backup would orphan its files; finish or wait first.
  if (runner.isBusy(id)) throw policyBusy(id);
  if (!(await deletePolicy(pool, tenantId, id))) throw policyNotFound(id);
}
