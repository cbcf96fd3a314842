// The recovery area's three views: policies, runbooks, the business continuity document.
import { Link } from '@tanstack/react-router';

export function RecoveryTabs({ current }: { current: 'policies' | 'runbooks' | 'continuity' }) {
  const tab = (id: typeof current) => ({ 'aria-current': id === current ? ('page' as const) : undefined, activeOptions: { exact: true, includeSearch: false } });
  return (
    <nav className="tabs recovery-tabs" aria-label="Recovery views">
      <Link to="/recovery" {...tab('policies')}>
        Policies
      </Link>
      <Link to="/runbooks" {...tab('runbooks')}>
        Runbooks
      </Link>
      <Link to="/recovery/continuity" {...tab('continuity')}>
        Business continuity
      </Link>
    </nav>
  );
}
