// The business continuity document, generated from the policies and what was measured.
import type { ObjectiveState } from './objectives.js';

export interface ContinuityEntry {
  kind?: 'logical' | 'physical';
  /** Physical: from the newest heartbeat found in the last passed verification restore. */
  verifiedRpoSeconds?: number | null;
  name: string;
  database: string;
  source: string;
  schedule: string;
  drillSchedule: string | null;
  repositoryPath: string;
  retentionCount: number;
  enabled: boolean;
  rpo: ObjectiveState;
  rto: ObjectiveState;
  lastBackup?: { at: Date; status: string; sizeBytes: number | null };
  /** The newest backup that stands proven by a restore (its latest verification passed): what RPO counts from. */
  lastProven?: Proof;
  /** The most recent restore that passed, whatever became of its backup since (a later verification failed, it expired). */
  lastPassedRestore?: Proof & { backupStatus: string; backupVerification: string };
  lastDrill?: { at: Date; status: string; rtoSeconds: number | null; failedChecks: string[] };
}

/** A restore that passed and the backup it restored. */
export interface Proof {
  restoreKind: 'verification' | 'drill';
  provenAt: Date;
  backupStartedAt: Date;
  /** The moment the backup's data is from (its snapshot or restore point); null when not recorded. */
  snapshotAt: Date | null;
}

const restoreName = (p: Proof) => (p.restoreKind === 'drill' ? 'DR drill' : 'verification restore');
const backupOf = (p: Proof) => `the backup of ${(p.snapshotAt ?? p.backupStartedAt).toISOString()}`;

/** What became of a backup that was proven once and no longer counts. */
function since(r: { backupStatus: string; backupVerification: string }): string {
  if (r.backupVerification === 'failed') return 'a later verification of it failed';
  if (r.backupStatus !== 'completed' && r.backupStatus !== 'expired') return `it is ${r.backupStatus}`;
  return 'it has not been verified again since';
}

const lapsed = (r: Proof & { backupStatus: string; backupVerification: string }) =>
  `${backupOf(r)} passed a ${restoreName(r)} on ${r.provenAt.toISOString()}, but ${since(r)}.`;

/** One line on what proves a policy's backups, or that nothing does; it follows the data either way. */
export function proofOf(e: ContinuityEntry): string {
  if (e.lastProven) return `${backupOf(e.lastProven)} was proven by a ${restoreName(e.lastProven)} that passed on ${e.lastProven.provenAt.toISOString()}.`;
  if (e.lastPassedRestore) return `no backup stands proven now: ${lapsed(e.lastPassedRestore)}`;
  return 'no backup has ever been proven by a restore.';
}

const human = (s: number | undefined) => {
  if (s === undefined) return 'not measured';
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} d`;
};

const DRILL_STALE_DAYS = 30;

/** What is missing for a policy to be trusted; each gap is one sentence an auditor can act on. */
export function gapsOf(e: ContinuityEntry, now: Date): string[] {
  const gaps: string[] = [];
  if (!e.enabled) gaps.push('The policy is disabled: no backups are being taken.');
  if (!e.lastProven) gaps.push(e.lastPassedRestore ? `No backup stands proven by a restore now: ${lapsed(e.lastPassedRestore)}` : 'No backup has ever been proven by a restore.');
  if (e.rpo.breached) gaps.push(`RPO target ${human(e.rpo.targetSeconds)} is breached: the newest verified backup is ${human(e.rpo.actualSeconds)} old.`);
  if (e.rto.breached) gaps.push(`RTO target ${human(e.rto.targetSeconds)} is breached: the last measured restore took ${human(e.rto.actualSeconds)}.`);
  if (e.rto.actualSeconds === undefined) gaps.push('RTO has never been measured.');
  if (e.lastBackup?.status === 'failed') gaps.push('The most recent backup attempt failed.');
  if (!e.drillSchedule) gaps.push('No DR drill is scheduled.');
  if (!e.lastDrill) gaps.push('No DR drill has been run.');
  else if (e.lastDrill.status !== 'passed') gaps.push(`The last DR drill failed (${e.lastDrill.failedChecks.join(', ') || 'see drill history'}).`);
  else if (now.getTime() - e.lastDrill.at.getTime() > DRILL_STALE_DAYS * 86_400_000) gaps.push(`The last DR drill is older than ${DRILL_STALE_DAYS} days.`);
  if (e.kind === 'physical' && (e.verifiedRpoSeconds === null || e.verifiedRpoSeconds === undefined)) gaps.push('The RPO of this physical policy has not been verified by a restore yet.');
  if (e.kind !== 'physical' && e.retentionCount < 2) gaps.push('Retention keeps a single backup: a bad backup leaves nothing to fall back to.');
  gaps.push('The repository is a local filesystem path; without an off-site copy a site loss loses the backups too.');
  return gaps;
}

export function continuityDocument(tenantId: string, entries: ContinuityEntry[], now: Date): string {
  const out: string[] = [
    `# Business continuity: database backup and recovery`,
    '',
    `Tenant \`${tenantId}\` · generated ${now.toISOString()} by Vigil dr-orchestrator from the live backup policies and measurements.`,
    '',
    '## Scope: what is backed up',
    '',
  ];
  if (!entries.length) {
    out.push('No database is covered by a backup policy. **Every database is a gap.**', '');
    return out.join('\n');
  }
  out.push('| Policy | Database | Source | Schedule (UTC cron) | Retention | Repository | Enabled |', '|---|---|---|---|---|---|---|');
  for (const e of entries) out.push(`| ${e.name} | ${e.database} | \`${e.source}\` | \`${e.schedule}\` | ${e.retentionCount} backups | \`${e.repositoryPath}\` | ${e.enabled ? 'yes' : 'no'} |`);
  out.push(
    '',
    '## What each kind of policy can promise',
    '',
    '- **logical** (`pg_dump`): the RPO can be no better than the schedule. Everything written since the last verified dump is lost; "RPO now" below is the age of the newest verified dump. Verified by restoring every dump into a scratch database and comparing it with facts taken in the dump\'s own snapshot.',
    '- **physical** (pgBackRest base backups + continuous WAL archiving): restores to any moment whose WAL reached the repository; the RPO is the WAL archive\'s lag (bounded by `archive_timeout` while archiving works) plus the heartbeat period. Verified by restoring to a restore point taken with a consistent snapshot (exact row counts and checksums) and reading the newest heartbeat Vigil wrote into the source; drills restore to a random moment and prove the heartbeat before it present and the one after it absent. Failed or stalled archiving is a breach of its own (`archiving-stalled` runbook): while it lasts, the promise does not hold.',
    '',
  );
  const physical = entries.filter((e) => e.kind === 'physical');
  if (physical.length) {
    out.push('| Physical policy | Verified RPO (last verification) |', '|---|---|');
    for (const e of physical) out.push(`| ${e.name} | ${e.verifiedRpoSeconds === null || e.verifiedRpoSeconds === undefined ? 'not verified yet' : human(e.verifiedRpoSeconds)} |`);
    out.push('');
  }
  out.push('', 'Method of logical policies: `pg_dump` directory format with parallel jobs, SHA-256 manifest, fsynced and atomically renamed; every backup is restored into a scratch database and checked (schema, row counts, per-table checksums, amcheck) before it counts.', '');
  out.push('## Recovery objectives', '', '| Policy | RPO target | RPO now | RTO target | Last measured RTO | Status |', '|---|---|---|---|---|---|');
  for (const e of entries) {
    const status = e.rpo.breached || e.rto.breached ? '**breached**' : 'within target';
    out.push(`| ${e.name} | ${human(e.rpo.targetSeconds)} | ${human(e.rpo.actualSeconds)} | ${human(e.rto.targetSeconds)} | ${human(e.rto.actualSeconds)} | ${status} |`);
  }
  out.push('', '## Last proven backup', '');
  for (const e of entries) out.push(`- **${e.name}**: ${proofOf(e)}`);
  out.push('', '## Last DR drill', '');
  for (const e of entries) {
    out.push(
      e.lastDrill
        ? `- **${e.name}**: ${e.lastDrill.status} on ${e.lastDrill.at.toISOString()}, achieved RTO ${human(e.lastDrill.rtoSeconds ?? undefined)}${e.drillSchedule ? ` (schedule \`${e.drillSchedule}\`)` : ''}.`
        : `- **${e.name}**: never drilled${e.drillSchedule ? ` (schedule \`${e.drillSchedule}\`)` : ''}.`,
    );
  }
  out.push('', '## Gaps', '');
  for (const e of entries) {
    out.push(`### ${e.name}`, '');
    for (const g of gapsOf(e, now)) out.push(`- ${g}`);
    out.push('');
  }
  out.push('## Procedures', '', 'Runbooks: backup failure, verification failure, RPO breach, RTO breach, WAL archiving stalled, physical restore failed, pgBackRest repository unreachable, restoring a database, loss of a Kafka broker, a service in a crash loop, GDPR breach notification (in the console: Recovery → Runbooks; API `GET /v1/runbooks`).', '');
  return out.join('\n');
}
