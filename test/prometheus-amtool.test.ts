// amtool (Alertmanager 0.25's, from Debian) against Vigil, with basic auth from --http.config.file:
// alert add/query, silence add/query/update/expire, config show / routes test, cluster show, and
// check-config on the Alertmanager configuration Vigil reports as the equivalent of its routing.
import { describe, expect } from 'vitest';
import { serviceTest } from '@vigil/service-kit/testing';
import { buildAlerting, FAST } from '../services/alerting/test/fixtures.js';
import { amtool, listenOnLoopback, parseTable, scratchDir, writeConfig } from './prometheus-programs.js';

interface Ctx {
  dir: string;
  url: string;
  run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  ok(...args: string[]): Promise<string>;
}

const it = serviceTest({ label: 'amtool', env: FAST, build: buildAlerting }).extend<{ am: Ctx }>({
  am: [
    async ({ app, kit }, use) => {
      const bearer = { authorization: `Bearer ${await kit.apiKey('acme', 'admin')}` };
      const put = async (url: string, payload: object) => {
        const res = await app.inject({ method: 'PUT', url, headers: bearer, payload });
        if (res.statusCode !== 204) throw new Error(`${url}: ${res.body}`);
      };
      await put('/v1/receivers/hook', { kind: 'webhook', url: 'http://127.0.0.1:9/hook', secret: 'a-very-secret-hmac-key' });
      await put('/v1/receivers/db-pager', { kind: 'pagerduty', routingKey: 'R0UT1NGK3Y' });
      await put('/v1/routing', {
        route: { receiver: 'hook', group_by: ['alertname'], group_wait: '30s', routes: [{ matchers: ['team="db"'], receiver: 'db-pager' }] },
        inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname'] }],
      });
      const vigil = await listenOnLoopback(app);
      const scratch = scratchDir('amtool');
      writeConfig(scratch.dir, 'http.yml', { basic_auth: { username: 'amtool', password: await kit.apiKey('acme', 'write') } });
      const flags = [`--alertmanager.url=http://${vigil}/`, `--http.config.file=${scratch.dir}/http.yml`];
      const run = (...args: string[]) => amtool(scratch.dir, [...flags, ...args]);
      const ok = async (...args: string[]) => {
        const r = await run(...args);
        if (r.code !== 0) throw new Error(`amtool ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
        return r.stdout;
      };
      try {
        await use({ dir: scratch.dir, url: `http://${vigil}/`, run, ok });
      } finally {
        scratch.remove();
      }
    },
    { scope: 'file' },
  ],
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('amtool against Vigil', () => {
  it('adds alerts and queries them, with filters and the JSON output', { timeout: 180_000 }, async ({ am }) => {
    await am.ok('alert', 'add', 'alertname=AmtoolDisk', 'instance=db-1', 'severity=critical', '--annotation=summary=disk full');
    await am.ok('alert', 'add', 'alertname=AmtoolDisk', 'instance=db-2', 'severity=warning');
    await am.ok('alert', 'add', 'alertname=AmtoolLag', 'team=db');
    const rows = parseTable(await am.ok('alert', 'query'));
    // Defaults: active only, so the inhibited warning is left out.
    expect(rows.map((r) => [r.Alertname, r.Summary, r.State]).sort()).toEqual([
      ['AmtoolDisk', 'disk full', 'active'],
      ['AmtoolLag', '', 'active'],
    ]);
    expect(rows[0]!['Starts At']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    const inhibited = parseTable(await am.ok('alert', 'query', '--inhibited'));
    expect(inhibited.map((r) => [r.Alertname, r.State])).toEqual([['AmtoolDisk', 'suppressed']]);

    const json = JSON.parse(await am.ok('alert', 'query', '-o', 'json', 'alertname=AmtoolLag')) as { labels: Record<string, string>; receivers: { name: string }[]; status: { state: string } }[];
    expect(json).toEqual([expect.objectContaining({ labels: { alertname: 'AmtoolLag', team: 'db' }, receivers: [{ name: 'db-pager' }], status: { state: 'active', silencedBy: [], inhibitedBy: [] } })]);
    // With a state flag given, amtool no longer adds --active: both are asked for.
    const regex = parseTable(await am.ok('alert', 'query', '-o', 'extended', 'instance=~db-.*', '--active', '--inhibited'));
    expect(regex.map((r) => r.Labels).sort()).toEqual(['alertname="AmtoolDisk" instance="db-1" severity="critical"', 'alertname="AmtoolDisk" instance="db-2" severity="warning"']);
    expect(parseTable(await am.ok('alert', 'query', '--receiver=db-.*')).map((r) => r.Alertname)).toEqual(['AmtoolLag']);
  });

  it('adds, queries, updates and expires a silence, and queries alerts around it', async ({ am }) => {
    const id = (await am.ok('silence', 'add', 'alertname=AmtoolLag', '--comment=db maintenance', '--duration=1h', '--author=tester')).trim();
    expect(id).toMatch(UUID);
    const [row] = parseTable(await am.ok('silence', 'query'));
    expect(row).toMatchObject({ ID: id, Matchers: 'alertname="AmtoolLag"', 'Created By': 'tester', Comment: 'db maintenance' });
    const endsAt = Date.parse(row!['Ends At']!.replace(' UTC', 'Z').replace(' ', 'T'));
    expect(Math.abs(endsAt - (Date.now() + 3_600_000))).toBeLessThan(120_000);

    expect(parseTable(await am.ok('alert', 'query')).map((r) => r.Alertname)).toEqual(['AmtoolDisk']);
    expect(parseTable(await am.ok('alert', 'query', '--silenced')).map((r) => [r.Alertname, r.State])).toEqual([['AmtoolLag', 'suppressed']]);

    // Same matchers, a new end: updated in place, the id stays.
    const [updated] = parseTable(await am.ok('silence', 'update', id, '--duration=2h'));
    expect(updated!.ID).toBe(id);
    expect(Date.parse(updated!['Ends At']!.replace(' UTC', 'Z').replace(' ', 'T'))).toBeGreaterThan(endsAt + 3_000_000);
    expect((await am.ok('silence', 'query', '-q')).trim().split('\n')).toEqual([id]);

    await am.ok('silence', 'expire', id);
    expect((await am.ok('silence', 'query', '-q')).trim()).toBe('');
    expect((await am.ok('silence', 'query', '--expired', '-q')).trim().split('\n')).toEqual([id]);
    expect(parseTable(await am.ok('alert', 'query', 'alertname=AmtoolLag')).map((r) => r.State)).toEqual(['active']);
  });

  it('shows the cluster and the routing as an Alertmanager config that check-config accepts and routes the same way', async ({ am }) => {
    expect(await am.ok('cluster', 'show')).toMatch(/^Cluster Status:\s+disabled$/m);
    const shown = await am.ok('config', 'show');
    expect(shown).not.toContain('R0UT1NGK3Y');
    const file = writeConfig(am.dir, 'vigil-routing.yml', shown);
    const check = await am.run('check-config', file);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('SUCCESS');
    expect(check.stdout).toMatch(/- 1 inhibit rules\n - 2 receivers/);
    // Alertmanager's own routing code, on the config Vigil reports, picks the receivers Vigil picks.
    expect((await am.ok('config', 'routes', 'test', 'team=db', 'alertname=X')).trim()).toBe('db-pager');
    expect((await am.ok('config', 'routes', 'test', 'alertname=X')).trim()).toBe('hook');
  });

  it("reports a tenant without routing as Alertmanager's discard receiver, which check-config accepts", async ({ am, app, kit }) => {
    const status = await app.inject({ url: '/api/v2/status', headers: await kit.auth('globex', 'read') });
    const file = writeConfig(am.dir, 'globex.yml', status.json().config.original);
    const check = await am.run('check-config', file);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/- 1 inhibit rules\n - 1 receivers/);
    const routes = await amtool(am.dir, ['config', 'routes', 'test', `--config.file=${file}`, 'alertname=X']);
    expect(routes.stdout.trim()).toBe('vigil-discard');
  });

  it('reports refused credentials, unknown silences and bad input as errors amtool can print', async ({ am }) => {
    writeConfig(am.dir, 'wrong.yml', { basic_auth: { username: 'amtool', password: 'vgl_notakey' } });
    const refused = await amtool(am.dir, [`--alertmanager.url=${am.url}`, `--http.config.file=${am.dir}/wrong.yml`, 'alert', 'query']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/\(status 401\)/);
    const missing = await am.run('silence', 'expire', '00000000-0000-4000-8000-000000000000');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/\(status 404\)/);
    // Errors are sent as Alertmanager's JSON string, so amtool shows Vigil's detail and code.
    const past = await am.run('silence', 'add', 'alertname=x', '--comment=c', '--start=2001-01-01T00:00:00Z', '--end=2001-01-02T00:00:00Z');
    expect(past.code).toBe(1);
    expect(past.stderr).toContain('[POST /silences][400] postSilencesBadRequest  endsAt (2001-01-02T00:00:00.000Z) is in the past (ALERTING_SILENCE_INVALID)');
  });
});
