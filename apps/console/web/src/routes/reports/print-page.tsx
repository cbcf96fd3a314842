// The page the console's own Chromium prints to PDF. It is outside the signed-in shell: its only
// credential is the single-use render token in the URL fragment (never sent to a server), presented
// once in a header. It marks itself ready (or failed) for the renderer.
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/problem';
import { reportsApi } from './queries';
import { ReportView } from './report-view';
import type { ExecutiveReport } from './report-types';
import './reports.css';

let read: Promise<ExecutiveReport> | undefined;
/** Once per document, even if an effect runs twice (React's strict mode in development). */
function readOnce(): Promise<ExecutiveReport> {
  if (!read) {
    const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
    // The fragment is dropped at once: the token is not left in history.
    history.replaceState(null, '', window.location.pathname);
    read = token ? reportsApi.renderedReport(token) : Promise.reject(new Error('This page is opened by the console to print a report.'));
  }
  return read;
}

export function PrintPage() {
  const [report, setReport] = useState<ExecutiveReport>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    // Printed reports are always light, whatever this browser remembers.
    document.documentElement.dataset.theme = 'light';
    readOnce().then(setReport, (e: unknown) => setError(errorMessage(e)));
  }, []);
  return (
    <main id="main" className="print-page">
      <div className="print-brand" aria-hidden="true">
        Vigil
      </div>
      <h1 className="print-title">Executive report</h1>
      {error ? (
        <p className="problem" role="alert" data-report-error="">
          {error}
        </p>
      ) : report ? (
        <div data-report-ready="">
          <ReportView report={report} print />
        </div>
      ) : (
        <p className="muted">Loading…</p>
      )}
    </main>
  );
}
