// The privacy area: one page, six tabs in the URL (queue, consent, records, breaches, audit, report).
import { Link, Navigate, useSearch } from '@tanstack/react-router';
import { AuditTab } from './audit-tab';
import { BreachesTab } from './breaches-tab';
import { ConsentTab } from './consent-tab';
import { RecordsTab } from './records-tab';
import { ReportTab } from './report-tab';
import { RequestsTab } from './requests-tab';
import type { PrivacyTab } from './routes';
import './privacy.css';

const TABS: { tab: PrivacyTab; label: string }[] = [
  { tab: 'requests', label: 'Subject requests' },
  { tab: 'consent', label: 'Consent' },
  { tab: 'records', label: 'Records of processing' },
  { tab: 'breaches', label: 'Breaches' },
  { tab: 'audit', label: 'Audit log' },
  { tab: 'report', label: 'Compliance report' },
];

export function PrivacyPage() {
  const search = useSearch({ from: '/app/privacy' });
  if (search.request) return <Navigate to="/privacy/requests/$requestId" params={{ requestId: search.request }} replace />;
  const tab = search.tab ?? 'requests';
  const label = TABS.find((t) => t.tab === tab)!.label;
  return (
    <>
      <div className="privacy-head">
        <h1>Privacy</h1>
        <p className="muted">Subject requests, consent, records of processing, breaches and the tamper-evident audit log (GDPR).</p>
      </div>
      <div className="tabs" role="tablist" aria-label="Privacy">
        {TABS.map((t) => (
          <Link key={t.tab} to="/privacy" search={{ tab: t.tab }} role="tab" aria-selected={tab === t.tab}>
            {t.label}
          </Link>
        ))}
      </div>
      <div role="tabpanel" aria-label={label}>
        {tab === 'requests' ? <RequestsTab /> : null}
        {tab === 'consent' ? <ConsentTab /> : null}
        {tab === 'records' ? <RecordsTab /> : null}
        {tab === 'breaches' ? <BreachesTab /> : null}
        {tab === 'audit' ? <AuditTab /> : null}
        {tab === 'report' ? <ReportTab /> : null}
      </div>
    </>
  );
}
