// The executive report as PDF: the console's own Chromium opens the report's print page with a
// single-use render token (no cookie), and prints it.
import { renderPdf } from '../clients/pdf-renderer.js';
import { deleteRenderToken, insertRenderToken, consumeRenderToken } from '../db/report-render-tokens.js';
import type { ExecutiveReport } from '../domain/executive-report.js';
import { hashRenderToken, newRenderToken, RENDER_TOKEN_TTL_MS, renderTokenShape } from '../domain/render-token.js';
import { pdfRenderFailed, renderTokenInvalid } from '../errors.js';
import type { ConsoleDeps } from './deps.js';

/**
 * The token is bound to the one report computed for this request (stored with it): whoever holds the
 * token can read that report once, within a minute, and nothing else — no session, no service key.
 * It travels in the URL fragment, which the browser never sends to a server.
 */
export async function reportPdf(deps: ConsoleDeps, baseUrl: string, report: ExecutiveReport): Promise<Buffer> {
  const { token, hash } = newRenderToken();
  await insertRenderToken(deps.pool, hash, report.tenant, report, new Date(Date.now() + RENDER_TOKEN_TTL_MS));
  try {
    return await renderPdf(deps.config.CONSOLE_CHROMIUM_PATH, { url: `${baseUrl}/reports/print#token=${token}`, readySelector: '[data-report-ready], [data-report-error]', timeoutMs: 30_000 });
  } catch (err) {
    throw pdfRenderFailed((err as Error).message.split('\n')[0]!);
  } finally {
    // Unused (the render failed early) or already consumed: either way it must not outlive the render. Expired ones go too.
    await deleteRenderToken(deps.pool, hash);
  }
}

export async function reportForRenderToken(deps: ConsoleDeps, token: string | undefined): Promise<unknown> {
  if (!token || !renderTokenShape(token)) throw renderTokenInvalid();
  const found = await consumeRenderToken(deps.pool, hashRenderToken(token));
  if (!found) throw renderTokenInvalid();
  return found.report;
}
