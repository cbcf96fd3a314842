// Notification bodies in the receivers' documented formats: Slack Block Kit, PagerDuty Events
// API v2, and Alertmanager's version-4 webhook payload.
import { createHash, createHmac } from 'node:crypto';
import type { Labels } from './labels.js';
import { PAGERDUTY_EVENTS_URL, type ReceiverConfig } from './receivers.js';

export interface NoticeAlert {
  fingerprint: string;
  status: 'firing' | 'resolved';
  acknowledged: boolean;
  severity: string;
  labels: Labels;
  annotations: Labels;
  startsAt: string;
  endsAt: string | null;
  generatorUrl: string | null;
}

export interface GroupNotice {
  tenantId: string;
  receiver: string;
  groupKey: string;
  groupLabels: Labels;
  alerts: NoticeAlert[];
  externalUrl: string;
}

export interface OutgoingRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  targetKey: string;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';
const SEVERITY_RANK: Record<string, number> = { critical: 3, error: 2, warning: 1, info: 0 };

export function common(maps: Labels[]): Labels {
  if (!maps.length) return {};
  const [first, ...rest] = maps;
  return Object.fromEntries(Object.entries(first!).filter(([k, v]) => rest.every((m) => m[k] === v)));
}

const groupStatus = (n: GroupNotice) => (n.alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved');
const worstSeverity = (n: GroupNotice) =>
  n.alerts.filter((a) => a.status === 'firing').reduce((w, a) => ((SEVERITY_RANK[a.severity] ?? 0) > (SEVERITY_RANK[w] ?? -1) ? a.severity : w), 'info');

/** Alertmanager webhook_config payload, version 4. */
export function webhookPayload(n: GroupNotice) {
  return {
    receiver: n.receiver,
    status: groupStatus(n),
    alerts: n.alerts.map((a) => ({
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      endsAt: a.status === 'resolved' && a.endsAt ? a.endsAt : ZERO_TIME,
      generatorURL: a.generatorUrl ?? '',
      fingerprint: a.fingerprint,
    })),
    groupLabels: n.groupLabels,
    commonLabels: common(n.alerts.map((a) => a.labels)),
    commonAnnotations: common(n.alerts.map((a) => a.annotations)),
    externalURL: n.externalUrl,
    version: '4',
    groupKey: n.groupKey,
    truncatedAlerts: 0,
  };
}

export const signBody = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** PagerDuty's dedup_key for a group: stable for the life of the group, whatever the payload. */
export const pagerDutyDedupKey = (tenantId: string, receiver: string, groupKey: string) =>
  createHash('sha256').update(`${tenantId}\u0000${receiver}\u0000${groupKey}`).digest('hex');

const truncate = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);
const title = (n: GroupNotice) => {
  const firing = n.alerts.filter((a) => a.status === 'firing').length;
  const name = common(n.alerts.map((a) => a.labels)).alertname ?? n.alerts[0]?.labels.alertname ?? 'alerts';
  return groupStatus(n) === 'firing' ? `[FIRING:${firing}] ${name}` : `[RESOLVED] ${name}`;
};
const KEY_LABELS = ['database', 'database_id', 'service', 'project_id', 'issue_id', 'policy_id', 'environment', 'instance', 'job'];

export function pagerDutyEvent(n: GroupNotice, routingKey: string, action: 'trigger' | 'acknowledge' | 'resolve') {
  const dedup_key = pagerDutyDedupKey(n.tenantId, n.receiver, n.groupKey);
  if (action !== 'trigger') return { routing_key: routingKey, dedup_key, event_action: action };
  const firing = n.alerts.filter((a) => a.status === 'firing');
  const labels = common(n.alerts.map((a) => a.labels));
  const summaries = firing.map((a) => a.annotations.summary).filter(Boolean);
  const runbook = firing.find((a) => a.annotations.runbook_url)?.annotations.runbook_url;
  const source = firing.find((a) => a.generatorUrl)?.generatorUrl ?? firing.find((a) => a.annotations.source_url)?.annotations.source_url;
  const sev = worstSeverity(n);
  return {
    routing_key: routingKey,
    event_action: action,
    dedup_key,
    payload: {
      summary: truncate(summaries.length === 1 ? `${title(n)}: ${summaries[0]}` : title(n), 1024),
      source: labels.database ?? labels.service ?? labels.instance ?? `vigil/${n.tenantId}`,
      severity: sev === 'critical' || sev === 'error' || sev === 'warning' ? sev : 'info',
      timestamp: firing[0]?.startsAt ?? new Date().toISOString(),
      ...(labels.alertname ? { class: labels.alertname } : {}),
      group: n.groupKey,
      custom_details: {
        firing: firing.map((a) => ({ labels: a.labels, annotations: a.annotations, startsAt: a.startsAt })),
        num_firing: firing.length,
        num_resolved: n.alerts.length - firing.length,
      },
    },
    client: 'Vigil',
    client_url: n.externalUrl,
    links: [...(runbook ? [{ href: runbook, text: 'Runbook' }] : []), ...(source ? [{ href: source, text: 'Source' }] : [])],
  };
}

/** Slack incoming-webhook message in Block Kit, with `text` as the notification fallback. */
export function slackMessage(n: GroupNotice, channel?: string) {
  const status = groupStatus(n);
  const sev = status === 'firing' ? worstSeverity(n) : 'resolved';
  const icon = status === 'resolved' ? ':white_check_mark:' : sev === 'critical' ? ':rotating_light:' : sev === 'warning' ? ':warning:' : ':information_source:';
  const labels = common(n.alerts.map((a) => a.labels));
  const keyFields = KEY_LABELS.filter((k) => labels[k]).slice(0, 8).map((k) => ({ type: 'mrkdwn', text: `*${k}*\n${truncate(labels[k]!, 200)}` }));
  const lines = n.alerts.slice(0, 10).map((a) => {
    const mark = a.status === 'resolved' ? ':white_check_mark:' : a.acknowledged ? ':eyes:' : ':red_circle:';
    return `${mark} ${a.annotations.summary ?? a.labels.alertname ?? a.fingerprint}`;
  });
  if (n.alerts.length > 10) lines.push(`…and ${n.alerts.length - 10} more`);
  const runbook = n.alerts.find((a) => a.annotations.runbook_url)?.annotations.runbook_url;
  const source = n.alerts.find((a) => a.generatorUrl)?.generatorUrl ?? n.alerts.find((a) => a.annotations.source_url)?.annotations.source_url;
  const buttons = [
    ...(runbook ? [{ type: 'button', text: { type: 'plain_text', text: 'Runbook' }, url: runbook }] : []),
    ...(source ? [{ type: 'button', text: { type: 'plain_text', text: 'Source' }, url: source }] : []),
  ];
  const head = title(n);
  return {
    ...(channel ? { channel } : {}),
    text: `${head} (${sev})`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: truncate(head, 150), emoji: true } },
      { type: 'section', fields: [{ type: 'mrkdwn', text: `*Severity*\n${icon} ${sev}` }, ...keyFields] },
      { type: 'section', text: { type: 'mrkdwn', text: truncate(lines.join('\n'), 3000) } },
      ...(buttons.length ? [{ type: 'actions', elements: buttons }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(`Vigil · ${n.receiver} · ${n.groupKey}`, 3000) }] },
    ],
  };
}

/** The HTTP request a receiver gets for this group notice. */
export function renderRequest(n: GroupNotice, cfg: ReceiverConfig, idempotencyKey: string, pdAction?: 'trigger' | 'acknowledge' | 'resolve'): OutgoingRequest {
  const json = { 'content-type': 'application/json', 'idempotency-key': idempotencyKey };
  switch (cfg.kind) {
    case 'slack':
      return { url: cfg.webhookUrl, body: JSON.stringify(slackMessage(n, cfg.channel)), headers: json, targetKey: `slack:${cfg.webhookUrl}` };
    case 'pagerduty':
      return {
        url: cfg.url ?? PAGERDUTY_EVENTS_URL,
        body: JSON.stringify(pagerDutyEvent(n, cfg.routingKey, pdAction ?? (groupStatus(n) === 'firing' ? 'trigger' : 'resolve'))),
        headers: json,
        targetKey: `pagerduty:${createHash('sha256').update(cfg.routingKey).digest('hex').slice(0, 24)}`,
      };
    case 'webhook': {
      const body = JSON.stringify(webhookPayload(n));
      return { url: cfg.url, body, headers: { ...json, 'x-vigil-signature-256': signBody(cfg.secret, body) }, targetKey: `webhook:${cfg.url}` };
    }
  }
}
