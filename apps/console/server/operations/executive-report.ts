// The executive report of one tenant and period: read the records from the services, compute.
import { PlatformApiError } from '../clients/platform-api.js';
import { ReportSources } from '../clients/report-sources.js';
import { incidentsHandledBetween } from '../db/incidents.js';
import { executiveReport, parsePeriod, type ExecutiveReport, type Period } from '../domain/executive-report.js';
import { periodInvalid, reportSourceUnavailable } from '../errors.js';
import type { ConsoleDeps } from './deps.js';

export function periodFrom(from: string, to: string): Period {
  const p = parsePeriod(from, to);
  if (typeof p === 'string') throw periodInvalid(p);
  return p;
}

/** Read with the tenant's read key: a report changes nothing, whoever asks for it. */
export async function executiveReportFor(deps: ConsoleDeps, tenant: string, period: Period, now = new Date(), signal?: AbortSignal): Promise<ExecutiveReport> {
  const key = await deps.serviceKeys.keyFor(tenant, 'read');
  const src = new ReportSources(deps.services, key, signal);
  try {
    const [alerts, incidents, issues, databases, policies, privacy] = await Promise.all([
      src.alerts(period),
      incidentsOf(deps, tenant, period),
      src.issues(period),
      src.databases(period),
      src.policies(period, now),
      src.privacy(),
    ]);
    return executiveReport({ tenant, period, now, alerts, incidents, issues, databases, policies, ...privacy });
  } catch (err) {
    if (err instanceof PlatformApiError || (err as Error).name === 'TimeoutError' || err instanceof TypeError) throw reportSourceUnavailable((err as Error).message);
    throw err;
  }
}

/** The console's own incidents acknowledged or resolved in the period, as the report's pure domain reads them. */
async function incidentsOf(deps: ConsoleDeps, tenant: string, period: Period) {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return (await incidentsHandledBetween(deps.pool, tenant, period.from, period.to)).map((i) => ({
    id: i.id,
    title: i.title,
    severity: i.severity,
    startedAt: i.startedAt.toISOString(),
    openedAt: i.openedAt.toISOString(),
    acknowledgedAt: iso(i.acknowledgedAt),
    resolvedAt: iso(i.resolvedAt),
    ttaSeconds: i.ttaSeconds,
    ttrSeconds: i.ttrSeconds,
  }));
}
