// GET /api/stream: Server-Sent Events of the session's tenant, with Last-Event-ID resume and
// heartbeats. The session is checked on connect, on every heartbeat and at its expiry; sign-out,
// revocation or expiry closes the stream.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ConsoleDeps } from '../operations/deps.js';
import { stillActive } from '../operations/sessions.js';
import { sessionOf } from '../plugins/session-guard.js';
import { SECURITY_HEADERS } from '../plugins/security-headers.js';
import type { StreamEvent, StreamHub } from '../stream/hub.js';
import { OpenStreams } from '../stream/open-streams.js';

/** A client this far behind is cut off (it reconnects and resumes from the replay buffer). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

const frame = (e: StreamEvent) => `id: ${e.id}\nevent: ${e.type}\ndata: ${e.data}\n\n`;

function lastEventId(header: unknown, query: unknown): number | undefined {
  const raw = typeof header === 'string' ? header : typeof query === 'string' ? query : undefined;
  return raw && /^\d{1,16}$/.test(raw) ? Number(raw) : undefined;
}

export const streamRoutes: FastifyPluginAsync<{ deps: ConsoleDeps; hub: StreamHub }> = async (app: FastifyInstance, { deps, hub }) => {
  // Open streams would keep the server from closing: end them first.
  const open = new OpenStreams(deps.sessionEnded);
  app.addHook('preClose', async () => open.closeAll());
  app.get('/api/stream', { config: { public: true, access: 'read' }, schema: { tags: ['stream'], hide: true } }, (req, reply) => {
    const session = sessionOf(req);
    const after = lastEventId(req.headers['last-event-id'], (req.query as Record<string, unknown>).lastEventId);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': req.id,
      ...SECURITY_HEADERS,
    });
    res.socket?.setNoDelay(true);

    let closed = false;
    let expiryTimer: NodeJS.Timeout | undefined;
    const close = (reason?: string) => {
      if (closed) return;
      closed = true;
      unsubscribe();
      clearInterval(heartbeat);
      clearTimeout(expiryTimer);
      forget();
      if (reason && !res.writableEnded) res.write(`event: session-ended\ndata: ${JSON.stringify({ reason })}\n\n`);
      res.end();
    };
    const write = (text: string) => {
      if (closed) return;
      res.write(text);
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        req.log.warn({ buffered: res.writableLength }, 'stream client too slow; closing');
        close();
      }
    };

    const forget = open.add(session.id, close);

    write(`retry: 3000\n\n`);
    write(`event: ready\ndata: ${JSON.stringify({ tenant: session.tenantId, heartbeatMs: deps.config.CONSOLE_STREAM_HEARTBEAT_MS })}\n\n`);
    const unsubscribe = hub.subscribe(session.tenantId, (e) => write(frame(e)), after);

    const recheck = async () => {
      // A database hiccup does not end the stream; the next check decides.
      const live = await stillActive(deps, session.id).catch(() => session);
      if (closed) return;
      if (!live || live.tenantId !== session.tenantId) return close('session ended');
      scheduleExpiry(live.expiresAt);
    };
    const scheduleExpiry = (at: Date) => {
      clearTimeout(expiryTimer);
      expiryTimer = setTimeout(() => void recheck(), Math.max(0, Math.min(at.getTime() - Date.now() + 50, 2 ** 31 - 1)));
    };
    const heartbeat = setInterval(() => {
      write(`event: heartbeat\ndata: ${JSON.stringify({ at: new Date().toISOString() })}\n\n`);
      void recheck();
    }, deps.config.CONSOLE_STREAM_HEARTBEAT_MS);
    scheduleExpiry(session.expiresAt);

    res.on('close', () => close());
  });
};
