// The two screens of the database area: monitored databases and APM per service.
import { Link } from '@tanstack/react-router';

export function AreaTabs({ current }: { current: 'databases' | 'apm' }) {
  return (
    <div className="tabs" role="tablist" aria-label="Database area">
      <Link to="/database" role="tab" aria-selected={current === 'databases'}>
        Databases
      </Link>
      <Link to="/database/apm" role="tab" aria-selected={current === 'apm'}>
        APM
      </Link>
    </div>
  );
}
