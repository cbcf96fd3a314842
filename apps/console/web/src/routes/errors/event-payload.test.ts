import { describe, expect, it } from 'vitest';
import { breadcrumbsOf, exceptionsOf, requestOf } from './event-payload';

describe('event payload', () => {
  it('shows the chain outermost first and frames most recent call first', () => {
    const chain = exceptionsOf({
      exception: {
        values: [
          { type: 'Cause', value: 'inner', stacktrace: { frames: [{ function: 'a' }] } },
          { type: 'TypeError', value: 'outer', mechanism: { type: 'onerror', handled: false }, stacktrace: { frames: [{ function: 'main', in_app: false }, { function: 'checkout', in_app: true, context_line: 'throw x', pre_context: ['a'] }] } },
        ],
      },
    });
    expect(chain.map((e) => e.type)).toEqual(['TypeError', 'Cause']);
    expect(chain[0]!.frames.map((f) => [f.function, f.inApp])).toEqual([['checkout', true], ['main', false]]);
    expect(chain[0]).toMatchObject({ mechanism: 'onerror', handled: false });
  });
  it('reads breadcrumbs in both the array and the {values} form, and the request', () => {
    expect(breadcrumbsOf({ breadcrumbs: [{ timestamp: 0, category: 'cart', message: 'loaded' }] })[0]).toMatchObject({ at: '1970-01-01T00:00:00.000Z', category: 'cart', message: 'loaded', level: 'info' });
    expect(breadcrumbsOf({ breadcrumbs: { values: [{ type: 'http', data: { url: '/x' } }] } })[0]!.message).toBe('{"url":"/x"}');
    expect(requestOf({ request: { method: 'POST', url: 'https://x/y', headers: { Accept: 'text/html' }, query_string: [['a', '1']] } })).toMatchObject({ method: 'POST', query: 'a=1', headers: [['Accept', 'text/html']] });
  });
});
