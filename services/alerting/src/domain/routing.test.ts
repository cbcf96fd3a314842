import { describe, expect, it } from 'vitest';
import { compileRoute, isInhibited, matchRoutes } from './routing.js';

const tree = compileRoute(
  {
    receiver: 'default',
    group_by: ['alertname'],
    routes: [
      { matchers: ['severity="critical"'], receiver: 'pager', group_wait: '0s', continue: true },
      { matchers: ['team="db"'], receiver: 'db-slack', routes: [{ matchers: ['env="dev"'], receiver: 'dev-null' }] },
    ],
  },
  new Set(['default', 'pager', 'db-slack', 'dev-null']),
  new Set(),
);

describe('routing tree', () => {
  it('walks depth-first, honours continue, inherits settings', () => {
    const m = matchRoutes(tree, { alertname: 'A', severity: 'critical', team: 'db' });
    expect(m.map((r) => r.receiver)).toEqual(['pager', 'db-slack']);
    expect(m[0]!.groupWaitMs).toBe(0);
    expect(m[1]!.groupWaitMs).toBe(30_000);
    expect(m[1]!.groupBy).toEqual(['alertname']);
    expect(matchRoutes(tree, { team: 'db', env: 'dev' }).map((r) => r.receiver)).toEqual(['dev-null']);
    expect(matchRoutes(tree, { team: 'web' }).map((r) => r.receiver)).toEqual(['default']);
  });

  it('names the faulty route in errors', () => {
    expect(() => compileRoute({ receiver: 'nope' }, new Set(), new Set())).toThrow(/route.receiver: no receiver named "nope"/);
    expect(() => compileRoute({ routes: [{ group_wait: 'x' }] }, new Set(), new Set())).toThrow(/route.routes\[0\].group_wait/);
  });

  it('inhibits a target only when a different source matches with equal labels', () => {
    const rules = [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['db'] }];
    const warn = { alertname: 'A', severity: 'warning', db: 'x' };
    expect(isInhibited(warn, [{ alertname: 'A', severity: 'critical', db: 'x' }], rules)).toBe(true);
    expect(isInhibited(warn, [{ alertname: 'A', severity: 'critical', db: 'y' }], rules)).toBe(false);
  });
});
