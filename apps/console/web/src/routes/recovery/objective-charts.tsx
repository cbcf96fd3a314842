// Verified RPO and measured RTO of every finished restore, each against its target, over the last 90 days.
// The charts are canvas (hidden from assistive tech); the summary line beside each says the same in words.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { TimeSeriesChart, type Point } from '../../components/time-series-chart';
import { formatDuration } from '../../components/time';
import { formatAxisSeconds, formatSeconds } from './format';
import { objectiveHistoryQuery, type HistoryPoint, type Policy } from './queries';

const DAYS = 90;

function series(items: HistoryPoint[], pick: (p: HistoryPoint) => number | null): Point[] {
  return items.flatMap((p) => {
    const v = pick(p);
    return v === null ? [] : [{ t: Date.parse(p.at), v }];
  });
}

function ObjectiveChart({ title, points, target, met, id }: { title: string; points: Point[]; target: number; met: (boolean | null)[]; id: string }) {
  const measured = met.filter((m) => m !== null);
  const within = measured.filter(Boolean).length;
  const last = points.at(-1);
  const worst = points.length ? Math.max(...points.map((p) => p.v)) : undefined;
  return (
    <section className="objective-chart" aria-labelledby={id}>
      <header>
        <h3 id={id}>{title}</h3>
        <span className="legend" aria-hidden="true">
          <span className="swatch actual" /> measured <span className="swatch target" /> target {formatDuration(target)}
        </span>
      </header>
      <p className="summary" data-testid={`${id}-summary`}>
        {last === undefined ? (
          'No restore measured yet.'
        ) : (
          <>
            Latest <strong>{formatSeconds(last.v)}</strong>, worst {formatSeconds(worst!)}, target {formatDuration(target)} — {within} of {measured.length} restore
            {measured.length === 1 ? '' : 's'} within target.
          </>
        )}
      </p>
      <TimeSeriesChart points={points} label={title} height={170} target={{ value: target, label: 'target' }} formatValue={formatAxisSeconds} />
    </section>
  );
}

export function ObjectiveCharts({ policy }: { policy: Policy }) {
  const { data, error, isPending } = useQuery(objectiveHistoryQuery(policy.id, DAYS));
  const rpo = useMemo(() => series(data ?? [], (p) => p.rpoSeconds), [data]);
  const rto = useMemo(() => series(data ?? [], (p) => (p.status === 'passed' ? p.rtoSeconds : null)), [data]);
  if (error) return <ProblemMessage error={error} title="RPO/RTO history unavailable" />;
  if (isPending) return <Loading what="Loading the RPO/RTO history…" />;
  return (
    <div className="objective-charts">
      <ObjectiveChart id="rpo-chart" title="Verified RPO" points={rpo} target={policy.rpoTargetSeconds} met={data.map((p) => p.rpoMet)} />
      <ObjectiveChart id="rto-chart" title="RTO" points={rto} target={policy.rtoTargetSeconds} met={data.map((p) => p.rtoMet)} />
    </div>
  );
}
