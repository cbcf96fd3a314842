import { describe, expect, it } from 'vitest';
import { decodeEventCursor, encodeEventCursor } from './event-cursor.js';
import { fillSeries, trendWindows } from './series.js';

describe('trend windows', () => {
  it('covers 60 minutes and 24 hours ending now, every bucket present', () => {
    const now = new Date('2026-12-01T10:30:20.000Z');
    const { minutes, hours } = trendWindows(now);
    expect(minutes.since.toISOString()).toBe('2026-12-01T09:30:20.000Z');
    expect(hours.since.toISOString()).toBe('2026-11-30T10:30:20.000Z');
    const m = fillSeries([{ bucket: '2026-12-01T10:29:00.000Z', count: 3 }], minutes.from, minutes.to, minutes.stepMs);
    expect(m).toHaveLength(60);
    expect(m.at(-1)).toEqual({ bucket: '2026-12-01T10:30:00.000Z', count: 0 });
    expect(m.at(-2)).toEqual({ bucket: '2026-12-01T10:29:00.000Z', count: 3 });
    expect(fillSeries([], hours.from, hours.to, hours.stepMs)).toHaveLength(24);
  });
});

describe('event cursor', () => {
  it('round-trips the last row of a page and refuses anything else', () => {
    const cursor = encodeEventCursor({ receivedAt: '2026-12-01T10:30:20.123Z', eventId: '0123456789abcdef0123456789abcdef' });
    expect(cursor).toBe('2026-12-01T10:30:20.123Z|01234567-89ab-cdef-0123-456789abcdef');
    expect(decodeEventCursor(cursor)).toEqual({ receivedAt: '2026-12-01T10:30:20.123Z', eventId: '01234567-89ab-cdef-0123-456789abcdef' });
    expect(decodeEventCursor('2026-12-01|nope')).toBeUndefined();
  });
});
