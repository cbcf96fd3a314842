// Console server tests: the console app and a real error-ingest behind its front door, on one
// kit test env (database + Kafka namespace); sign-in helpers that keep the cookie and CSRF token.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createTestEnv, type TestEnv } from '@vigil/service-kit/testing';
import { buildApp as buildErrorIngest } from '../../../../services/error-ingest/src/app.js';
import { loadServiceConfig as errorIngestConfig } from '../../../../services/error-ingest/src/config.js';
import { buildApp } from '../app.js';
import { loadConsoleConfig } from '../config.js';

export interface Harness {
  env: TestEnv;
  app: FastifyInstance;
  errors: FastifyInstance;
  errorsUrl: string;
  /** Every error-ingest instance (one unless `errorReplicas` asked for more), all on the same database. */
  errorInstances: { app: FastifyInstance; url: string }[];
  /** Headers of every request error-ingest received (to check what the front door sent), and which instance got it. */
  upstreamSeen: { url: string; authorization?: string; cookie?: string; csrf?: string; instance: number }[];
  passwordFile: string;
  /** CONSOLE_WEB_DIST: absent at start; a test may create it (the server looks per request). */
  webDist: string;
  adminPassword(): Promise<string>;
  close(): Promise<void>;
}

export async function startHarness(label: string, extra: Record<string, string> = {}, o: { errorReplicas?: number } = {}): Promise<Harness> {
  const env = await createTestEnv(label);
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-console-'));
  const passwordFile = path.join(dir, 'admin-password');
  const webDist = path.join(dir, 'dist');
  const upstreamSeen: Harness['upstreamSeen'] = [];
  const errorInstances: Harness['errorInstances'] = [];
  for (let instance = 0; instance < (o.errorReplicas ?? 1); instance++) {
    const errors = await buildErrorIngest(errorIngestConfig({ ...env.env }));
    errors.addHook('onRequest', async (req) => {
      upstreamSeen.push({ url: req.url, authorization: req.headers.authorization, cookie: req.headers.cookie, csrf: req.headers['x-csrf-token'] as string | undefined, instance });
    });
    errorInstances.push({ app: errors, url: await errors.listen({ host: '127.0.0.1', port: 0 }) });
  }
  const { app: errors, url: errorsUrl } = errorInstances[0]!;
  const app = await buildApp(
    loadConsoleConfig({
      ...env.env,
      CONSOLE_INITIAL_PASSWORD_FILE: passwordFile,
      CONSOLE_ERRORS_URL: errorInstances.map((i) => i.url).join(','),
      CONSOLE_WEB_DIST: webDist,
      ...extra,
    }),
  );
  await app.ready();
  return {
    env,
    app,
    errors,
    errorsUrl,
    errorInstances,
    upstreamSeen,
    passwordFile,
    webDist,
    adminPassword: async () => (await readFile(passwordFile, 'utf8')).trim(),
    async close() {
      await app.close();
      for (const i of errorInstances) await i.app.close();
      await env.cleanup();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A signed-in browser, as far as the server can tell: the session cookie and the CSRF token. */
export interface Browser {
  cookie: string;
  csrf: string;
  session: Record<string, unknown>;
  call(o: InjectOptions & { csrf?: boolean }): Promise<LightMyRequestResponse>;
}

export async function signIn(app: FastifyInstance, email: string, password: string): Promise<Browser> {
  const res = await app.inject({ method: 'POST', url: '/api/session', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in ${res.statusCode}: ${res.body}`);
  const set = res.cookies.find((c) => c.name === 'vigil_session');
  if (!set) throw new Error('no session cookie');
  const session = res.json() as Record<string, unknown>;
  const cookie = `vigil_session=${set.value}`;
  const csrf = session.csrfToken as string;
  return {
    cookie,
    csrf,
    session,
    call: ({ csrf: withCsrf = true, headers, ...o }) =>
      app.inject({ ...o, headers: { ...headers, cookie, ...(withCsrf ? { 'x-csrf-token': csrf } : {}) } }),
  };
}
