// Health-score floor: a score below it fires, a score at or above it resolves.
import { createHash } from 'node:crypto';

export interface HealthInput {
  databaseId: string;
  databaseName: string;
  score: number;
  status: string;
  components: { name: string; penalty: number; detail: string }[];
}

export interface AlertDraft {
  fingerprint: string;
  severity: 'warning' | 'critical';
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** Alertmanager-style fingerprint: a hash of the sorted label set. */
export function fingerprint(labels: Record<string, string>): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\u0000');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

export function evaluateHealthScore(h: HealthInput, floor: number): { firing: boolean; alert: AlertDraft } {
  const labels = { alertname: 'DatabaseHealthLow', database_id: h.databaseId, database: h.databaseName };
  const worst = [...h.components].sort((a, b) => b.penalty - a.penalty)[0];
  return {
    firing: h.score < floor,
    alert: {
      fingerprint: fingerprint(labels),
      severity: h.score < floor / 2 ? 'critical' : 'warning',
      labels,
      annotations: {
        summary: `Health score of ${h.databaseName} is ${h.score} (floor ${floor})`,
        description: worst ? `Largest penalty: ${worst.name} (-${worst.penalty}): ${worst.detail}` : 'No component detail',
      },
    },
  };
}
