// The incidents area's two views: the timeline across the bus, and the incidents people opened.
// The router marks the current one (aria-current="page").
import { Link } from '@tanstack/react-router';

export function IncidentTabs() {
  return (
    <nav className="tabs" aria-label="Incidents views">
      <Link to="/incidents" activeOptions={{ exact: true, includeSearch: false }}>
        Timeline
      </Link>
      <Link to="/incidents/list" activeOptions={{ includeSearch: false }}>
        Incidents
      </Link>
    </nav>
  );
}
