// A deadline as a date ("1 Jan 2027") in the user's timezone, the exact instant in the tooltip.
import { useTimezone } from '../../app/preferences';
import { formatAbsolute } from '../../components/time';

export function DueDate({ at }: { at: string }) {
  const zone = useTimezone();
  const d = new Date(at);
  const text = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: zone === 'utc' ? 'UTC' : undefined }).format(d);
  return (
    <time dateTime={d.toISOString()} title={formatAbsolute(d, zone)}>
      {text}
    </time>
  );
}
