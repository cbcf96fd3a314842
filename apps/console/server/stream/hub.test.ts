import { describe, expect, it } from 'vitest';
import type { Envelope } from '@vigil/events';
import { StreamHub, type StreamEvent } from './hub.js';

const env = (tenantId: string, n: number): Envelope => ({ id: `e${n}`, type: 'T', version: 1, source: 's', tenantId, occurredAt: new Date().toISOString(), data: { n } });

describe('stream hub', () => {
  it("fans out to the event's tenant only, with increasing ids", () => {
    const hub = new StreamHub(10);
    const a: StreamEvent[] = [];
    const b: StreamEvent[] = [];
    hub.subscribe('a', (e) => a.push(e));
    hub.subscribe('b', (e) => b.push(e));
    hub.publish(env('a', 1));
    hub.publish(env('b', 2));
    hub.publish(env('a', 3));
    expect(a.map((e) => JSON.parse(e.data).data.n)).toEqual([1, 3]);
    expect(b.map((e) => JSON.parse(e.data).data.n)).toEqual([2]);
    expect(a[1]!.id).toBeGreaterThan(a[0]!.id);
  });

  it('replays after an id from a bounded buffer; an unknown future id replays nothing', () => {
    const hub = new StreamHub(3);
    const first: StreamEvent[] = [];
    const stop = hub.subscribe('a', (e) => first.push(e));
    for (let n = 1; n <= 5; n++) hub.publish(env('a', n));
    stop();
    const resumed: StreamEvent[] = [];
    hub.subscribe('a', (e) => resumed.push(e), first[2]!.id);
    expect(resumed.map((e) => JSON.parse(e.data).data.n)).toEqual([4, 5]);
    const old: StreamEvent[] = [];
    hub.subscribe('a', (e) => old.push(e), first[0]!.id);
    expect(old.map((e) => JSON.parse(e.data).data.n)).toEqual([3, 4, 5]);
    const future: StreamEvent[] = [];
    hub.subscribe('a', (e) => future.push(e), first[4]!.id + 1000);
    expect(future).toEqual([]);
  });
});
