// Triage reads and writes behind the console's issue stream and issue page: resolve now / in the next
// release with regressions recorded where they happened, bulk status, sparklines, series with release
// markers, affected users and activity, each tenant-scoped.
import { describe, expect } from 'vitest';
import { eventually } from '@vigil/service-kit/testing';
import { createProject, errorEvent, errorIngestTest, sendEnvelope, type Fixture } from './fixtures.js';

const it = errorIngestTest();

type Issue = { id: string; title: string; count: number; status: string; substatus: string; resolution?: string | null; resolvedAfterRelease?: string | null; regressedAt?: string | null };

async function get<T>(f: Fixture, url: string, status = 200): Promise<T> {
  const res = await f.app.inject({ url, headers: f.auth });
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}

async function issueWhere(f: Fixture, pred: (i: Issue) => boolean, project = f.project.id): Promise<Issue> {
  return eventually(async () => (await get<{ items: Issue[] }>(f, `/v1/projects/${project}/issues?limit=200`)).items.find(pred), 30_000);
}

const send = (f: Fixture, type: string, extra: Record<string, unknown> = {}) => sendEnvelope(f, errorEvent({ exception: { values: [{ type, value: 'x' }] }, ...extra }));

describe('triage', () => {
  it('resolve now: the same error in the same release regresses it, recorded with the event and release', async ({ f }) => {
    await send(f, 'NowError');
    const issue = await issueWhere(f, (i) => i.title === 'NowError: x');
    const patched = await f.app.inject({ method: 'PATCH', url: `/v1/projects/${f.project.id}/issues/${issue.id}`, headers: f.auth, payload: { status: 'resolved', resolution: 'now' } });
    expect(patched.json()).toMatchObject({ status: 'resolved', resolution: 'now', resolvedInRelease: null });
    const again = errorEvent({ exception: { values: [{ type: 'NowError', value: 'x' }] } });
    await sendEnvelope(f, again);
    const regressed = await issueWhere(f, (i) => i.id === issue.id && i.count === 2);
    expect(regressed).toMatchObject({ status: 'unresolved', substatus: 'regressed', resolution: null });
    expect(regressed.regressedAt).toBeTruthy();
    const onlyRegressed = await get<{ items: Issue[] }>(f, `/v1/projects/${f.project.id}/issues?substatus=regressed&limit=200`);
    expect(onlyRegressed.items.map((i) => i.id)).toContain(issue.id);
    expect(onlyRegressed.items.every((i) => i.substatus === 'regressed')).toBe(true);
    const activity = await get<{ items: { kind: string; release: string | null; eventId: string | null }[]; nextCursor: string | null }>(f, `/v1/projects/${f.project.id}/issues/${issue.id}/activity`);
    expect(activity.items.map((a) => a.kind)).toEqual(['regressed', 'resolved']);
    expect(activity.items[0]).toMatchObject({ release: 'shop@1.0.0', eventId: again.event_id });
    // Keyset pages of one: the same two entries, in the same order, then the end.
    const p1 = await get<{ items: { id: string }[]; nextCursor: string }>(f, `/v1/projects/${f.project.id}/issues/${issue.id}/activity?limit=1`);
    const p2 = await get<{ items: { id: string }[]; nextCursor: string | null }>(f, `/v1/projects/${f.project.id}/issues/${issue.id}/activity?limit=1&cursor=${p1.nextCursor}`);
    expect([...p1.items, ...p2.items].map((a) => a.id)).toEqual((activity.items as unknown as { id: string }[]).map((a) => a.id));
    expect(p2.nextCursor).toBeNull();
    const series = await get<{ regressions: { eventId: string }[]; releases: { release: string }[]; points: unknown[] }>(f, `/v1/projects/${f.project.id}/issues/${issue.id}/series?period=24h`);
    expect(series.regressions.map((r) => r.eventId)).toEqual([again.event_id]);
    expect(series.releases.map((r) => r.release)).toEqual(['shop@1.0.0']);
    expect(series.points).toHaveLength(24);
  });

  it('resolve in next release: the current release keeps sending without regressing it, the next release regresses it', async ({ f }) => {
    await send(f, 'NextError', { release: 'shop@3.0.0' });
    const issue = await issueWhere(f, (i) => i.title === 'NextError: x');
    const patched = await f.app.inject({ method: 'PATCH', url: `/v1/projects/${f.project.id}/issues/${issue.id}`, headers: f.auth, payload: { status: 'resolved', resolution: 'inNextRelease' } });
    expect(patched.json()).toMatchObject({ status: 'resolved', resolution: 'inNextRelease', resolvedAfterRelease: 'shop@3.0.0' });
    await send(f, 'NextError', { release: 'shop@3.0.0' });
    expect(await issueWhere(f, (i) => i.id === issue.id && i.count === 2)).toMatchObject({ status: 'resolved' });
    await send(f, 'NextError', { release: 'shop@3.1.0' });
    expect(await issueWhere(f, (i) => i.id === issue.id && i.count === 3)).toMatchObject({ status: 'unresolved', substatus: 'regressed' });
    const series = await get<{ releases: { release: string }[] }>(f, `/v1/projects/${f.project.id}/issues/${issue.id}/series?period=14d`);
    expect(series.releases.map((r) => r.release)).toEqual(['shop@3.0.0', 'shop@3.1.0']);
  });

  it('bulk status changes only the project’s own issues, and the 24 h sparklines count each issue’s events', async ({ f }) => {
    await Promise.all([send(f, 'BulkA'), send(f, 'BulkA'), send(f, 'BulkB')]);
    const a = await issueWhere(f, (i) => i.title === 'BulkA: x' && i.count === 2);
    const b = await issueWhere(f, (i) => i.title === 'BulkB: x');
    const other = await createProject(f.app, f.auth, `other-${Date.now()}`);
    const res = await f.app.inject({ method: 'POST', url: `/v1/projects/${other.id}/issues/status`, headers: f.auth, payload: { issueIds: [a.id], status: 'ignored' } });
    expect(res.json()).toEqual({ items: [] });
    const bulk = await f.app.inject({ method: 'POST', url: `/v1/projects/${f.project.id}/issues/status`, headers: f.auth, payload: { issueIds: [a.id, b.id], status: 'ignored' } });
    expect(bulk.statusCode, bulk.body).toBe(200);
    expect(bulk.json().items.map((i: Issue) => [i.id, i.status]).sort()).toEqual([[a.id, 'ignored'], [b.id, 'ignored']].sort());
    const trends = await get<{ items: { issueId: string; hours: number[] }[] }>(f, `/v1/projects/${f.project.id}/issues/trends?issueIds=${a.id},${b.id}`);
    const byId = new Map(trends.items.map((t) => [t.issueId, t.hours]));
    expect(byId.get(a.id)).toHaveLength(24);
    expect(byId.get(a.id)!.at(-1)).toBe(2);
    expect(byId.get(b.id)!.reduce((x, y) => x + y, 0)).toBe(1);
    // Another project's view of the same ids shows nothing.
    expect((await get<{ items: unknown[] }>(f, `/v1/projects/${other.id}/issues/trends?issueIds=${a.id}`)).items).toEqual([]);
  });

  it('lists affected users as pseudonyms with keyset pages, and 404s for another tenant', async ({ f }) => {
    await Promise.all(['u-1', 'u-2', 'u-3'].map((id) => send(f, 'UserError', { user: { id } })));
    const issue = await issueWhere(f, (i) => i.title === 'UserError: x' && i.count === 3);
    const first = await get<{ items: { userRef: string; events: number }[]; nextCursor: string; total: number }>(f, `/v1/projects/${f.project.id}/issues/${issue.id}/users?limit=2`);
    expect(first.total).toBe(3);
    expect(first.items).toHaveLength(2);
    expect(first.items.every((u) => u.events === 1 && !u.userRef.startsWith('u-'))).toBe(true);
    const second = await get<{ items: { userRef: string }[]; nextCursor: string | null }>(f, `/v1/projects/${f.project.id}/issues/${issue.id}/users?limit=2&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items].map((u) => u.userRef)).size).toBe(3);
    const stranger = await (f.env as { auth(t: string, r: string): Promise<{ authorization: string }> }).auth('globex', 'admin');
    const res = await f.app.inject({ url: `/v1/projects/${f.project.id}/issues/${issue.id}/users`, headers: stranger });
    expect(res.statusCode).toBe(404);
  });
});
