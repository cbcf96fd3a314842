// The alerts area's three screens, as tabs under one heading.
import { Link } from '@tanstack/react-router';

const TABS = [
  { to: '/alerts', label: 'Alerts' },
  { to: '/alerts/silences', label: 'Silences' },
  { to: '/alerts/rules', label: 'Rules' },
] as const;

export function AreaTabs({ current }: { current: (typeof TABS)[number]['to'] }) {
  return (
    <nav className="tabs area-tabs" aria-label="Alerting">
      {TABS.map((t) => (
        <Link key={t.to} to={t.to} aria-current={t.to === current ? 'page' : undefined} className={t.to === current ? 'current' : undefined}>
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
