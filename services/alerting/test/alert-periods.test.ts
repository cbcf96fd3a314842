// GET /v1/alert-periods: the alerts open during a period (what reports compute MTTA/MTTR and availability
// from), keyset-paginated, tenant-scoped, with the period checked.
import { describe, expect } from 'vitest';
import { alertingTest, api } from './fixtures.js';

const it = alertingTest('alertperiods');
const now = Date.now();
const at = (hours: number) => new Date(now + hours * 3_600_000).toISOString();

describe('alerts of a period', () => {
  it('lists alerts open at some moment of [from, to), oldest first, page by page, of the caller tenant only', async ({ h, kit }) => {
    const post = (body: unknown, headers = h.headers) => h.app.inject({ method: 'POST', url: '/api/v2/alerts', headers, payload: body as object });
    // Resolved before the period: left out. Started before it and resolved inside: in. Still open: in.
    expect((await post([{ labels: { alertname: 'Before' }, startsAt: at(-5) }])).statusCode).toBe(200);
    expect((await post([{ labels: { alertname: 'Before' }, startsAt: at(-5), endsAt: at(-4) }])).statusCode).toBe(200);
    expect((await post([{ labels: { alertname: 'Overlaps', severity: 'critical' }, startsAt: at(-3.5) }])).statusCode).toBe(200);
    expect((await post([{ labels: { alertname: 'Overlaps', severity: 'critical' }, startsAt: at(-3.5), endsAt: at(-2) }])).statusCode).toBe(200);
    expect((await post([{ labels: { alertname: 'Open' }, startsAt: at(-1) }])).statusCode).toBe(200);
    expect((await post([{ labels: { alertname: 'OtherTenant' }, startsAt: at(-1) }], await kit.auth('globex', 'write'))).statusCode).toBe(200);

    const q = `from=${encodeURIComponent(at(-3))}&to=${encodeURIComponent(at(0.5))}`;
    const all = await api(h, 'GET', `/v1/alert-periods?${q}`);
    expect(all.statusCode).toBe(200);
    const body = all.json() as { items: { labels: Record<string, string>; startsAt: string; resolvedAt: string | null; severity: string }[]; nextCursor: string | null };
    expect(body.items.map((a) => a.labels.alertname)).toEqual(['Overlaps', 'Open']);
    expect(body.items[0]).toMatchObject({ severity: 'critical', startsAt: at(-3.5), resolvedAt: at(-2) });
    expect(body.nextCursor).toBeNull();

    const names: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page++) {
      const res = await api(h, 'GET', `/v1/alert-periods?${q}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      const p = res.json() as { items: { labels: Record<string, string> }[]; nextCursor: string | null };
      names.push(...p.items.map((a) => a.labels.alertname!));
      cursor = p.nextCursor;
      if (!cursor) break;
    }
    expect(names).toEqual(['Overlaps', 'Open']);
  });

  it('refuses a reversed or too long period and a foreign cursor, naming the field', async ({ h }) => {
    const reversed = await api(h, 'GET', `/v1/alert-periods?from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(-1))}`);
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json()).toMatchObject({ code: 'ALERTING_PERIOD_INVALID', detail: expect.stringContaining('from') });
    const long = await api(h, 'GET', `/v1/alert-periods?from=${encodeURIComponent(at(-24 * 400))}&to=${encodeURIComponent(at(0))}`);
    expect(long.json()).toMatchObject({ code: 'ALERTING_PERIOD_INVALID', detail: expect.stringContaining('366 days') });
    const cursor = await api(h, 'GET', `/v1/alert-periods?from=${encodeURIComponent(at(-1))}&to=${encodeURIComponent(at(0))}&cursor=bm9wZQ`);
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json()).toMatchObject({ code: 'ALERTING_PERIOD_INVALID', detail: expect.stringContaining('cursor') });
  });
});
