// The real @sentry/node SDK, in a separate Node process, against the app on a real port:
// captureException and captureMessage land as issues with stack trace, tags, release, environment.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { eventually } from '@vigil/service-kit/testing';
import { errorIngestTest } from './fixtures.js';

// The SDK runs in a child process, so the app listens on a real port; `dsn` points the SDK at it.
const it = errorIngestTest().extend<{ dsn: string }>({
  dsn: [
    async ({ f }, use) => {
      await f.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = f.app.server.address() as AddressInfo;
      await use(`http://${f.project.publicKey}@127.0.0.1:${port}/${f.project.id}`);
    },
    { scope: 'file' },
  ],
});

function runClient(dsn: string, marker: string): Promise<string> {
  const script = fileURLToPath(new URL('./sentry-client.mjs', import.meta.url));
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [script, dsn, marker], { timeout: 45_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout))),
  );
}

describe('real Sentry SDK', () => {
  it('captureException and captureMessage become issues with stack trace, tags, release and environment', async ({ f, dsn }) => {
    const marker = randomBytes(4).toString('hex');
    expect(await runClient(dsn, marker)).toContain('flushed');

    type Issue = { id: string; title: string; culprit: string; level: string; releases: string[]; environments: string[]; usersAffected: number };
    const list = async () => (await f.app.inject({ url: `/v1/projects/${f.project.id}/issues?limit=200`, headers: f.auth })).json().items as Issue[];
    const exception = await eventually(async () => (await list()).find((i) => i.title.startsWith('TypeError: order')), 30_000);
    const message = await eventually(async () => (await list()).find((i) => i.title.startsWith('SDK says hello')), 30_000);

    expect(exception.title).toBe(`TypeError: order 4242 has no customer (${marker})`);
    expect(exception.culprit).toMatch(/sentry-client.* in placeOrder/);
    expect(exception.releases).toEqual(['sdk-app@3.1.4']);
    expect(exception.environments).toEqual(['sdk-test']);
    expect(exception.usersAffected).toBe(1);
    expect(message.level).toBe('warning');
    expect(message.releases).toEqual(['sdk-app@3.1.4']);

    const detail = (await f.app.inject({ url: `/v1/projects/${f.project.id}/issues/${exception.id}`, headers: f.auth })).json();
    const event = detail.latestEvent;
    expect(event.tags).toMatchObject({ feature: 'checkout' });
    expect(event.release).toBe('sdk-app@3.1.4');
    expect(event.environment).toBe('sdk-test');
    const frames = event.payload.exception.values[0].stacktrace.frames as { function?: string; in_app?: boolean }[];
    expect(frames.some((fr) => fr.function === 'placeOrder' && fr.in_app === true)).toBe(true);
    expect(JSON.stringify(event.payload)).not.toContain('carol@example.com');
  });
});
