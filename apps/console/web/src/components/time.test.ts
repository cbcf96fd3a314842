import { describe, expect, it } from 'vitest';
import { axisTimeFormat, formatAbsolute, formatDuration, formatPast, formatRelative } from './time';

describe('times shown in the console', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  it('are relative, past and future', () => {
    expect(formatRelative(new Date(now - 2_000), now)).toBe('just now');
    expect(formatRelative(new Date(now - 90_000), now)).toMatch(/2 min/);
    expect(formatRelative(new Date(now - 3 * 3600_000), now)).toMatch(/3 hr/);
    expect(formatRelative(new Date(now + 26 * 3600_000), now)).toMatch(/tomorrow|in 1 day/);
  });
  it('of something that happened read as past even against a clock that lags them (the shared tick of the stream)', () => {
    expect(formatRelative(new Date(now + 6_000), now)).toMatch(/in 6 sec/);
    expect(formatPast(new Date(now + 6_000), now)).toBe('just now');
    expect(formatPast(new Date(now - 90_000), now)).toMatch(/2 min/);
  });
  it('are absolute in UTC when the user chose UTC', () => {
    expect(formatAbsolute(new Date('2026-12-01T23:30:00Z'), 'utc')).toMatch(/23:30:00/);
    expect(formatAbsolute(new Date('2026-12-01T23:30:00Z'), 'utc')).toMatch(/UTC/);
  });
  it('give durations in the unit a person reads', () => {
    expect(formatDuration(30)).toBe('30 s');
    expect(formatDuration(45 * 60)).toBe('45 min');
    expect(formatDuration(26 * 3600)).toBe('26 h');
    expect(formatDuration(3 * 86_400 + 4 * 3600)).toBe('3 d 4 h');
  });
  it('on chart axes are 24-hour in the chosen timezone', () => {
    const at = new Date('2026-12-01T15:04:05Z');
    expect(axisTimeFormat('utc', 3600).format(at)).toBe('15:04');
    expect(axisTimeFormat('utc', 10).format(at)).toBe('15:04:05');
    expect(axisTimeFormat('utc', 86_400).format(at)).toMatch(/01.*Dec|Dec.*01/);
  });
});
