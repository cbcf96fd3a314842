// The console's own headless Chromium (Debian's, driven by playwright-core; nothing downloads a
// browser): opens one console page and prints it with page.pdf() on the page's print stylesheet.
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface PdfRequest {
  url: string;
  /** A selector that appears once the page has everything it prints. */
  readySelector: string;
  timeoutMs: number;
}

/**
 * One browser per render: launch() gives it a fresh temporary --user-data-dir (removed at close), so
 * no cookie, cache or storage survives between two reports.
 */
export async function renderPdf(executablePath: string, r: PdfRequest): Promise<Buffer> {
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: r.timeoutMs });
  try {
    const context = await browser.newContext({ timezoneId: 'UTC', locale: 'en-GB', colorScheme: 'light' });
    const page = await context.newPage();
    page.setDefaultTimeout(r.timeoutMs);
    await page.emulateMedia({ media: 'print', colorScheme: 'light' });
    await page.goto(r.url, { waitUntil: 'load' });
    await page.waitForSelector(r.readySelector, { state: 'attached' });
    const failed = await page.$('[data-report-error]');
    if (failed) throw new Error((await failed.textContent()) ?? 'the report page showed an error');
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, margin: { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' } });
  } finally {
    await browser.close();
  }
}
