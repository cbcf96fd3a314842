// The checks of one verification restore or drill. A check that had nothing to look at reads "skipped", never
// "passed": the service says so, and this table keeps the three results apart.
import type { Check } from './queries';

const CHECK_NAMES: Record<string, string> = {
  manifest: 'Manifest checksums',
  restore_errors: 'Restore without errors',
  schema_diff: 'Schema matches the source',
  row_counts: 'Row counts',
  table_checksums: 'Table checksums',
  amcheck: 'Index integrity (amcheck)',
  heartbeat: 'Heartbeat (verified RPO)',
  pitr_boundary: 'Point-in-time boundary',
};

export const checkName = (name: string): string => CHECK_NAMES[name] ?? name.replace(/_/g, ' ');

const OUTCOME_CLASS: Record<string, string> = { passed: 'ok', completed: 'ok', failed: 'critical', skipped: 'skipped', running: 'info', pending: 'pending', expired: 'pending' };

export function OutcomeBadge({ outcome }: { outcome: string }) {
  return <span className={`badge ${OUTCOME_CLASS[outcome] ?? ''}`}>{outcome}</span>;
}

export function checkCounts(checks: Check[]): string {
  const n = (o: string) => checks.filter((c) => c.outcome === o).length;
  return [`${n('passed')} passed`, n('failed') ? `${n('failed')} failed` : '', n('skipped') ? `${n('skipped')} skipped` : ''].filter(Boolean).join(' · ');
}

export function CheckTable({ checks, caption }: { checks: Check[]; caption: string }) {
  if (!checks.length) return <p className="muted">No check has run yet.</p>;
  return (
    <div className="table-wrap">
      <table className="checks">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Result</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {checks.map((c) => (
            <tr key={c.name} data-check={c.name} data-outcome={c.outcome}>
              <td>
                <span className="check-name">{checkName(c.name)}</span> <span className="muted mono">{c.name}</span>
              </td>
              <td>
                <OutcomeBadge outcome={c.outcome} />
              </td>
              <td className="wrap-anywhere detail">{c.detail || <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
