// The incident timeline does not poll: it is read again when the stream brings an event the history
// records. So every type the history consumer records must make the browser's history queries stale, and
// must be forwarded to the browser at all.
import { describe, expect, it } from 'vitest';
import { EVENT_MEANINGS } from '../../web/src/live/events.js';
import { HISTORY_TYPES } from '../domain/history.js';
import { STREAM_PROJECTIONS } from './projection.js';

describe('the timeline follows the stream', () => {
  it('every event type the history records invalidates the history queries in the browser', () => {
    // The prefix of the web's history queries (routes/incidents/queries.ts): timeline, events, what changed.
    const invalidatesHistory = (type: string) => EVENT_MEANINGS[type]?.invalidates.some((k) => JSON.stringify(k) === '["console","history"]');
    expect(HISTORY_TYPES.filter((t) => !invalidatesHistory(t))).toEqual([]);
    expect(HISTORY_TYPES.filter((t) => !STREAM_PROJECTIONS[t])).toEqual([]);
  });
});
