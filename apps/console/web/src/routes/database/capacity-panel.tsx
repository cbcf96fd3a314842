// Capacity: database size over time with its least-squares forecast, the days until each limit
// (disk, max_connections), and the fastest-growing tables.
import { useQuery } from '@tanstack/react-query';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { TimeSeriesChart, type Point } from '../../components/time-series-chart';
import { bytes, count, days } from './format';
import { capacityQuery, seriesQuery } from './queries';

const DAY = 86_400_000;
/** Raw samples (the service serves raw up to 48 h, hourly means beyond). */
const HOURS = 48;
const bytesAxis = (v: number) => bytes(v);

/** The trend drawn forward as far as the measured points reach back (a minute to 30 days), stopping at the limit. */
function forecastPoints(points: Point[], perDay: number | null, limit: number | null): Point[] {
  const last = points.at(-1);
  const first = points[0];
  if (!last || !first || perDay === null) return [];
  const span = Math.min(30 * DAY, Math.max(last.t - first.t, 60_000));
  let end = last.t + span;
  if (limit !== null && perDay > 0) end = Math.min(end, last.t + ((limit - last.v) / perDay) * DAY);
  return [last, { t: end, v: last.v + (perDay * (end - last.t)) / DAY }];
}

function Limit({ title, value, detail, level }: { title: string; value: string; detail: string; level: string }) {
  return (
    <div className={`stat ${level}`}>
      <div className="stat-title">{title}</div>
      <div className="stat-value">{value}</div>
      <div className="muted small">{detail}</div>
    </div>
  );
}

const soon = (d: number | null) => (d === null ? '' : d < 30 ? 'critical' : d < 90 ? 'warning' : 'ok');

export function CapacityPanel({ id }: { id: string }) {
  const { data, error, isPending } = useQuery(capacityQuery(id));
  const size = useQuery(seriesQuery(id, 'database_size_bytes', HOURS));
  const points = (size.data?.points ?? []).map((p) => ({ t: Date.parse(p.at), v: p.value }));
  const forecast = data ? forecastPoints(points, data.database.growthBytesPerDay, data.database.diskLimitBytes) : [];
  return (
    <>
      <ProblemMessage error={error ?? size.error} title="Could not load capacity" />
      {isPending ? <Loading /> : null}
      {data ? (
        <>
          <div className="stats">
            <Limit
              title="Disk full in"
              value={days(data.database.daysUntilDiskFull)}
              level={soon(data.database.daysUntilDiskFull)}
              detail={data.database.diskLimitBytes ? `${bytes(data.database.sizeBytes)} of ${bytes(data.database.diskLimitBytes)}` : 'set a disk limit on this database to forecast it'}
            />
            <Limit
              title="max_connections reached in"
              value={days(data.connections.daysUntilLimit)}
              level={soon(data.connections.daysUntilLimit)}
              detail={`${count(data.connections.current)} of ${count(data.connections.max)} connections`}
            />
            <Limit
              title="Size growth"
              value={data.database.growthBytesPerDay === null ? '–' : `${bytes(data.database.growthBytesPerDay)}/day`}
              level=""
              detail={`least squares over the last ${data.days} days`}
            />
            <Limit title="Queries per second" value={data.qps.current === null ? '–' : data.qps.current.toFixed(1)} level="" detail="latest interval" />
          </div>
          <section className="panel" aria-labelledby="size-title">
            <header className="section-head">
              <h2 id="size-title">Database size</h2>
              <span className="muted small">
                <span className="legend measured" /> measured <span className="legend forecast" /> forecast
              </span>
            </header>
            <TimeSeriesChart points={points} forecast={forecast} label="Database size" height={200} formatValue={bytesAxis} />
            <p className="visually-hidden">
              Size {bytes(data.database.sizeBytes)}, growing {bytes(data.database.growthBytesPerDay)} per day; disk full in {days(data.database.daysUntilDiskFull)}.
            </p>
            {data.notes.length ? (
              <ul className="notes">
                {data.notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            ) : null}
          </section>
          <section className="panel" aria-labelledby="tables-title">
            <h2 id="tables-title">Tables by growth</h2>
            <table className="compact">
              <caption className="visually-hidden">Largest and fastest-growing tables</caption>
              <thead>
                <tr>
                  <th scope="col">Table</th>
                  <th scope="col" className="num">
                    Size
                  </th>
                  <th scope="col" className="num">
                    Growth per day
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.tables.map((t) => (
                  <tr key={t.table}>
                    <td className="mono">{t.table}</td>
                    <td className="num">{bytes(t.bytes)}</td>
                    <td className="num">{bytes(t.growthBytesPerDay)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      ) : null}
    </>
  );
}
