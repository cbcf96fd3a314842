// One event as Sentry shows it: the exception chain with its stack frames (application frames
// highlighted, context lines, system frames behind the "full stack" toggle), breadcrumbs, the
// request, contexts and tags.
import { useState } from 'react';
import { Time } from '../../components/time';
import { breadcrumbsOf, contextsOf, exceptionsOf, requestOf, type ExceptionEntry, type Frame } from './event-payload';
import type { IssueEvent } from './queries';

function FrameView({ frame, open: initiallyOpen }: { frame: Frame; open: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  const hasContext = frame.contextLine !== undefined;
  const where = frame.filename ?? frame.absPath ?? frame.module ?? '<unknown>';
  const first = (frame.lineno ?? 1) - frame.preContext.length;
  return (
    <li className={`frame${frame.inApp ? ' in-app' : ' system'}`} data-in-app={frame.inApp || undefined}>
      <button type="button" className="frame-head" aria-expanded={hasContext ? open : undefined} onClick={() => setOpen(!open)} disabled={!hasContext}>
        <span className="mono frame-file">{where}</span>
        {frame.function ? (
          <>
            <span className="muted">in</span>
            <span className="mono frame-fn">{frame.function}</span>
          </>
        ) : null}
        {frame.lineno !== undefined ? (
          <span className="muted mono">
            line {frame.lineno}
            {frame.colno !== undefined ? `:${frame.colno}` : ''}
          </span>
        ) : null}
        {frame.inApp ? <span className="badge info in-app-badge">In App</span> : null}
      </button>
      {open && hasContext ? (
        <ol className="context-lines mono" start={first} tabIndex={0} aria-label={`Source around line ${frame.lineno ?? ''}`}>
          {[...frame.preContext, frame.contextLine!, ...frame.postContext].map((line, n) => (
            <li key={n} className={n === frame.preContext.length ? 'current' : undefined}>
              <span className="line-no" aria-hidden="true">
                {first + n}
              </span>
              <code>{line || ' '}</code>
            </li>
          ))}
        </ol>
      ) : null}
    </li>
  );
}

function ExceptionView({ entry, full, causedBy }: { entry: ExceptionEntry; full: boolean; causedBy: boolean }) {
  const inApp = entry.frames.filter((f) => f.inApp).length;
  const shown = full || !inApp ? entry.frames : entry.frames.filter((f) => f.inApp);
  const firstInApp = shown.findIndex((f) => f.inApp);
  return (
    <div className="exception">
      {causedBy ? <div className="caused-by muted">Caused by</div> : null}
      <h3 className="exception-type">
        <span className="mono">{entry.type}</span>
        {entry.mechanism ? (
          <span className={`badge ${entry.handled === false ? 'critical' : ''}`}>
            {entry.mechanism}
            {entry.handled === false ? ' · unhandled' : entry.handled ? ' · handled' : ''}
          </span>
        ) : null}
      </h3>
      {entry.value ? <p className="exception-value">{entry.value}</p> : null}
      {shown.length ? (
        <ol className="frames" aria-label={`Stack frames of ${entry.type}, most recent call first`}>
          {shown.map((f, n) => (
            <FrameView key={n} frame={f} open={n === (firstInApp >= 0 ? firstInApp : 0)} />
          ))}
        </ol>
      ) : (
        <p className="muted">No stack trace was sent.</p>
      )}
      {!full && inApp && inApp < entry.frames.length ? <p className="muted small">{entry.frames.length - inApp} system frames hidden.</p> : null}
    </div>
  );
}

export function EventDetail({ event, full, onFull }: { event: IssueEvent; full: boolean; onFull: (full: boolean) => void }) {
  const payload = event.payload;
  const chain = exceptionsOf(payload);
  const crumbs = breadcrumbsOf(payload);
  const request = requestOf(payload);
  const contexts = contextsOf(payload);
  const tags = Object.entries(event.tags ?? {});
  return (
    <div className="event-detail">
      <section className="event-section" aria-labelledby="sec-exception">
        <div className="section-head">
          <h2 id="sec-exception">Exception</h2>
          <div className="segmented" role="group" aria-label="Frames shown">
            <button type="button" aria-pressed={!full} className={!full ? 'on' : undefined} onClick={() => onFull(false)}>
              App frames
            </button>
            <button type="button" aria-pressed={full} className={full ? 'on' : undefined} onClick={() => onFull(true)}>
              Full stack
            </button>
          </div>
        </div>
        {chain.length ? chain.map((e, n) => <ExceptionView key={n} entry={e} full={full} causedBy={n > 0} />) : <p className="muted">This event carries no exception.</p>}
      </section>

      <section className="event-section" aria-labelledby="sec-breadcrumbs">
        <h2 id="sec-breadcrumbs">Breadcrumbs</h2>
        {crumbs.length ? (
          <table className="breadcrumbs">
            <caption className="visually-hidden">Breadcrumbs, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col">Message</th>
                <th scope="col">Level</th>
                <th scope="col">Time</th>
              </tr>
            </thead>
            <tbody>
              {crumbs.map((b, n) => (
                <tr key={n}>
                  <td>
                    <span className="crumb-cat mono">{b.category}</span>
                  </td>
                  <td className="wrap-anywhere mono">{b.message}</td>
                  <td>
                    <span className={`level level-${b.level}`}>{b.level}</span>
                  </td>
                  <td className="muted">{b.at ? <Time at={b.at} mode="absolute" /> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">No breadcrumbs were recorded before this event.</p>
        )}
      </section>

      {request ? (
        <section className="event-section" aria-labelledby="sec-request">
          <h2 id="sec-request">Request</h2>
          <p className="mono request-line">
            <strong>{request.method ?? 'GET'}</strong> {request.url ?? ''}
            {request.query ? `?${request.query}` : ''}
          </p>
          {request.headers.length ? <KeyValues caption="Request headers" entries={request.headers} /> : null}
          {request.data ? <pre className="snippet">{request.data}</pre> : null}
        </section>
      ) : null}

      {contexts.length ? (
        <section className="event-section" aria-labelledby="sec-contexts">
          <h2 id="sec-contexts">Contexts</h2>
          <div className="contexts">
            {contexts.map((c) => (
              <div key={c.name} className="context-card">
                <h3>{c.name}</h3>
                <KeyValues caption={`Context ${c.name}`} entries={c.entries} />
              </div>
            ))}
          </div>
        </section>
      ) : null}

      <section className="event-section" aria-labelledby="sec-tags">
        <h2 id="sec-tags">Event tags</h2>
        {tags.length ? (
          <ul className="tag-pills">
            {tags.map(([k, v]) => (
              <li key={k}>
                <span className="tag-key">{k}</span>
                <span className="tag-value mono">{v}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No tags.</p>
        )}
        <p className="muted small">
          Event <span className="mono">{event.eventId}</span> · received <Time at={event.receivedAt} mode="absolute" />
          {event.release ? (
            <>
              {' '}
              · release <span className="mono">{event.release}</span>
            </>
          ) : null}
          {event.environment ? <> · {event.environment}</> : null}
        </p>
      </section>
    </div>
  );
}

function KeyValues({ caption, entries }: { caption: string; entries: [string, string][] }) {
  return (
    <table className="kv">
      <caption className="visually-hidden">{caption}</caption>
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td className="mono wrap-anywhere">{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
