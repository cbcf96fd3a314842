import { describe, expect, it } from 'vitest';
import { firingSummary, issuesOfLastDay } from './overview.js';

const alert = (id: string, severity: string, startsAt: string) => ({ id, severity, startsAt });

describe('firing summary', () => {
  it('counts by severity and lists the most severe first, then the newest', () => {
    const s = firingSummary(
      [
        alert('w-new', 'warning', '2026-12-01T10:05:00Z'),
        alert('c-old', 'critical', '2026-12-01T08:00:00Z'),
        alert('i', 'info', '2026-12-01T10:06:00Z'),
        alert('p', 'page', '2026-12-01T10:07:00Z'),
        alert('w-old', 'warning', '2026-12-01T09:00:00Z'),
        alert('c-new', 'critical', '2026-12-01T09:30:00Z'),
      ],
      4,
    );
    expect(s.total).toBe(6);
    expect(s.bySeverity).toEqual({ critical: 2, warning: 2, info: 1, page: 1 });
    expect(s.latest.map((a) => a.id)).toEqual(['c-new', 'c-old', 'w-new', 'w-old']);
  });

  it('is empty with nothing firing', () => {
    expect(firingSummary([])).toEqual({ total: 0, bySeverity: {}, latest: [] });
  });
});

describe('issues of the last day', () => {
  it('splits a page into issues first seen in the window and regressed ones, and says when the page is not all', () => {
    const since = '2026-12-01T00:00:00.000Z';
    const page = {
      items: [
        { id: 'new', firstSeen: '2026-12-01T03:00:00.000Z', substatus: 'new' },
        { id: 'back', firstSeen: '2026-11-20T03:00:00.000Z', substatus: 'regressed' },
        { id: 'old', firstSeen: '2026-11-20T03:00:00.000Z', substatus: 'ongoing' },
      ],
      nextCursor: 'more',
    };
    const r = issuesOfLastDay({ id: 'p' }, page, since);
    expect(r.newIssues.map((i) => i.id)).toEqual(['new']);
    expect(r.regressed.map((i) => i.id)).toEqual(['back']);
    expect(r.truncated).toBe(true);
  });
});
