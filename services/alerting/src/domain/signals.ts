// Catalogued events as plain signals and samples the rules understand.
import type { Labels } from './labels.js';
import type { Sample, Signal } from './rules.js';

const defined = (o: Record<string, string | number | undefined>): Labels =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)]));

export function healthSamples(h: { databaseId: string; databaseName: string; score: number; components: { name: string; penalty: number; detail: string }[]; scoredAt: string }): Sample[] {
  const worst = [...h.components].sort((a, b) => b.penalty - a.penalty)[0];
  const labels = { database_id: h.databaseId, database: h.databaseName };
  const info = { worst_component: worst ? `Largest penalty: ${worst.name} (-${worst.penalty}): ${worst.detail}` : 'No component detail' };
  return [{ metric: 'health_score', value: h.score, labels, info, at: new Date(h.scoredAt) }];
}

export function metricSamples(scope: Labels, at: string, samples: { name: string; value: number; labels?: Labels }[]): Sample[] {
  return samples.map((s) => ({ metric: s.name, value: s.value, labels: { ...s.labels, ...scope }, at: new Date(at) }));
}

interface IssueLike {
  projectId: string;
  issueId: string;
  title: string;
  culprit?: string;
  level: string;
  count: number;
  release?: string;
  environment?: string;
  link?: string;
}

export function issueSignal(type: 'IssueOpened' | 'IssueRegressed' | 'ErrorSpikeDetected', i: IssueLike & { zScore?: number }, at: string): Signal {
  const verb = type === 'IssueOpened' ? 'New issue' : type === 'IssueRegressed' ? 'Regression' : 'Error spike';
  return {
    type,
    labels: { project_id: i.projectId, issue_id: i.issueId },
    attrs: defined({ level: i.level, release: i.release, environment: i.environment }),
    annotations: defined({
      summary: `${verb}: ${i.title}`,
      description: [i.culprit, `${i.count} events`, i.zScore !== undefined ? `z-score ${i.zScore.toFixed(1)}` : undefined].filter(Boolean).join(' · '),
      source_url: i.link,
    }),
    at: new Date(at),
  };
}

export function gdprSignal(d: { subject: string; refId: string; state: string; deadline: string; detail: string }, at: string): Signal {
  return {
    type: 'GdprDeadlineWarning',
    labels: { subject: d.subject, ref_id: d.refId },
    attrs: { state: d.state },
    annotations: { summary: `GDPR ${d.subject} deadline ${d.state === 'missed' ? 'missed' : 'near'} (${d.deadline})`, description: d.detail },
    at: new Date(at),
  };
}

export function backupSignal(b: { policyId: string; backupId: string; database: string; outcome: string; error?: string; finishedAt: string }): Signal {
  return {
    type: 'BackupFinished',
    labels: { policy_id: b.policyId, database: b.database },
    attrs: { outcome: b.outcome },
    annotations: defined({ summary: `Backup ${b.backupId} of ${b.database} ${b.outcome}`, description: b.error }),
    at: new Date(b.finishedAt),
  };
}

export function verificationSignal(v: { policyId: string; backupId: string; database: string; outcome: string; checks: { name: string; outcome: string; detail: string }[]; finishedAt: string; runbookUrl?: string }): Signal {
  const failed = v.checks.filter((c) => c.outcome === 'failed');
  return {
    type: 'VerificationFinished',
    labels: { policy_id: v.policyId, database: v.database },
    attrs: { outcome: v.outcome },
    annotations: defined({
      summary: `Restore verification of ${v.database} ${v.outcome}`,
      description: failed.map((c) => `${c.name}: ${c.detail}`).join('; '),
      runbook_url: v.runbookUrl,
    }),
    at: new Date(v.finishedAt),
  };
}

export function objectiveSignal(o: { policyId: string; database: string; objective: string; targetSeconds: number; actualSeconds: number; detectedAt: string; runbookUrl?: string }): Signal {
  return {
    type: 'RecoveryObjectiveBreached',
    labels: { policy_id: o.policyId, database: o.database, objective: o.objective },
    attrs: {},
    annotations: defined({
      summary: `${o.objective.toUpperCase()} of ${o.database} is ${o.actualSeconds} s (target ${o.targetSeconds} s)`,
      runbook_url: o.runbookUrl,
    }),
    at: new Date(o.detectedAt),
  };
}

/** alerting's own delivery gave up on a notification: the builtin NotificationDeadLettered rule fires on it. */
export function deadLetterSignal(d: { receiver: string; kind: string; attempts: number; lastStatus: number | null; error: string; deadAt: string }): Signal {
  return {
    type: 'NotificationDeadLettered',
    labels: { receiver: d.receiver },
    attrs: defined({ kind: d.kind, last_status: d.lastStatus ?? undefined }),
    annotations: { summary: `Notifications to receiver ${d.receiver} are failing`, description: `Gave up after ${d.attempts} attempts: ${d.error}` },
    at: new Date(d.deadAt),
  };
}
