// The number of firing critical alerts in the tab's title ("(3) Vigil") and favicon (a red badge with the
// count), on every signed-in screen; the stream keeps the query fresh. Renders nothing itself.
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { firingSummaryQuery } from '../../api/queries';

const BASE_ICON = '/favicon.svg';

/** The favicon as an SVG data URL: Vigil's mark, with a red count badge when something critical fires. */
export function faviconFor(count: number): string {
  if (count <= 0) return BASE_ICON;
  const text = count > 99 ? '99+' : String(count);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="14" fill="#2563eb"/>` +
    `<path d="M9 12l7 11 7-11" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/>` +
    `<circle cx="23" cy="9" r="9" fill="#dc2626" stroke="#fff" stroke-width="1.5"/>` +
    `<text x="23" y="12.5" font-family="Arial,sans-serif" font-size="${text.length > 1 ? 8.5 : 11}" font-weight="700" fill="#fff" text-anchor="middle">${text}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** "(3) Alerts · Vigil" → the count prefix replaced; other helpers' titles are kept. */
export function titleWith(count: number, title: string): string {
  const bare = title.replace(/^\(\d+\+?\)\s*/, '');
  return count > 0 ? `(${count}) ${bare}` : bare;
}

export function CriticalAlertsTitle() {
  const { data } = useQuery({ ...firingSummaryQuery, refetchInterval: 60_000 });
  const count = data?.bySeverity.critical ?? 0;
  useEffect(() => {
    if (!data) return;
    document.title = titleWith(count, document.title || 'Vigil');
    let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    if (!link) {
      link = document.createElement('link');
      link.rel = 'icon';
      document.head.appendChild(link);
    }
    link.type = 'image/svg+xml';
    link.href = faviconFor(count);
    document.documentElement.dataset.criticalAlerts = String(count);
  }, [count, data]);
  useEffect(
    () => () => {
      document.title = titleWith(0, document.title);
      document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.setAttribute('href', BASE_ICON);
    },
    [],
  );
  return null;
}
