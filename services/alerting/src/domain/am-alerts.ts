// Alerts posted through the Alertmanager v2 API, checked and turned into lifecycle actions.
import { isUnsetTime } from './am-api.js';
import { fingerprint, InvalidInput, type Labels } from './labels.js';
import type { AlertDraft } from './rules.js';

export interface PostableAlert {
  labels: Labels;
  annotations?: Labels;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

export type AmAction = { action: 'fire'; alert: AlertDraft; startsAt: Date } | { action: 'resolve'; fingerprint: string; at: Date };

const severityOf = (s: string | undefined): AlertDraft['severity'] => (s === 'critical' || s === 'info' ? s : s === 'error' || s === 'page' ? 'critical' : 'warning');

export function toActions(alerts: PostableAlert[], now: Date, resolveTimeoutMs: number): AmAction[] {
  return alerts.map((a, i) => {
    if (!Object.keys(a.labels).length) throw new InvalidInput(`[${i}].labels must not be empty`);
    for (const [k, v] of Object.entries(a.labels)) if (v === '') throw new InvalidInput(`[${i}].labels.${k} must not be empty`);
    // Go clients (amtool alert add) send the zero time for "unset".
    const startsAt = isUnsetTime(a.startsAt) ? now : new Date(a.startsAt!);
    const endsAt = isUnsetTime(a.endsAt) ? undefined : new Date(a.endsAt!);
    if (endsAt && !isUnsetTime(a.startsAt) && endsAt < startsAt) throw new InvalidInput(`[${i}] endsAt (${a.endsAt}) is before startsAt (${a.startsAt})`);
    const fp = fingerprint(a.labels);
    if (endsAt && endsAt <= now) return { action: 'resolve', fingerprint: fp, at: endsAt };
    return {
      action: 'fire',
      startsAt: startsAt > now ? now : startsAt,
      alert: {
        fingerprint: fp,
        severity: severityOf(a.labels.severity),
        labels: a.labels,
        annotations: a.annotations ?? {},
        generatorUrl: a.generatorURL || undefined,
        endsAt: endsAt ?? new Date(now.getTime() + resolveTimeoutMs),
      },
    };
  });
}
