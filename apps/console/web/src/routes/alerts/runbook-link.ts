// Where an alert's runbook opens: runbooks Vigil serves (dr-orchestrator's `/v1/runbooks/<slug>`, or a
// console `/runbooks/<slug>` link) open in the console's runbook page; anything else is external.
export type RunbookTarget = { kind: 'console'; path: string } | { kind: 'external'; url: string };

const RUNBOOK_PATH = /^\/(?:v1\/runbooks|runbooks|recovery\/runbooks)\/([A-Za-z0-9._-]+)\/?$/;

export function runbookTarget(url: string | undefined, consoleOrigin: string): RunbookTarget | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url, consoleOrigin);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  const m = RUNBOOK_PATH.exec(parsed.pathname);
  // Vigil's own runbooks (any host: the DR service's base URL differs per deployment) → the console page.
  if (m && (parsed.origin === consoleOrigin || parsed.pathname.startsWith('/v1/runbooks/') || parsed.pathname.startsWith('/recovery/runbooks/'))) {
    return { kind: 'console', path: `/runbooks/${m[1]}` };
  }
  return { kind: 'external', url: parsed.toString() };
}

/** The runbook annotation, whichever spelling the source used. */
export const runbookOf = (annotations: Record<string, string>): string | undefined => annotations.runbook_url ?? annotations.runbookUrl ?? annotations.runbook;
