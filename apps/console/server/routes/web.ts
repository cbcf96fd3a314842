// The browser app: files from web/dist, and index.html for every other non-API path (SPA routes).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { notFound } from '@vigil/service-kit';
import { webNotBuilt } from '../errors.js';

async function isFile(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isFile(), () => false);
}

export const webRoutes: FastifyPluginAsync<{ dist: string }> = async (app: FastifyInstance, { dist }) => {
  // Built files come with .br/.gz siblings (web/vite-precompress.ts), chosen by Accept-Encoding.
  await app.register(fastifyStatic, { root: dist, serve: false, preCompressed: true });
  app.get('/*', { config: { public: true, access: 'anonymous' }, schema: { hide: true } }, async (req, reply) => {
    const wanted = path.posix.normalize(`/${(req.params as { '*': string })['*']}`);
    if (wanted === '/api' || wanted.startsWith('/api/')) throw notFound('ROUTE_NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`);
    const rel = wanted.slice(1);
    if (rel && (await isFile(path.join(dist, rel)))) {
      // Vite names built assets by content hash: they never change.
      const immutable = rel.startsWith('assets/');
      return reply.sendFile(rel, { immutable, maxAge: immutable ? '365d' : 0, cacheControl: true });
    }
    if (path.posix.extname(rel) && rel !== 'index.html') throw notFound('ROUTE_NOT_FOUND', `no file ${wanted}`);
    if (!(await isFile(path.join(dist, 'index.html')))) throw webNotBuilt();
    return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  });
};
