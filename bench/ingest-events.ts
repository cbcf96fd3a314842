// The Sentry events bench:ingest and bench/ingest-cpu.ts send (realistic Node error events of a given size, as envelopes), and the service config both run.

/** A realistic Node error event of about `bytes` bytes: frames with context, breadcrumbs, contexts, tags. */
export function sentryEvent(bytes: number): Record<string, unknown> {
  const frame = (n: number) => ({
    filename: n % 3 ? `/srv/app/src/orders/service-${n}.js` : `/srv/app/node_modules/express/lib/router/layer-${n}.js`,
    module: n % 3 ? `orders.service${n}` : 'express.router',
    function: `handler${n}`,
    lineno: 10 + n,
    colno: 17,
    in_app: n % 3 !== 0,
    pre_context: ['  const order = await orders.find(id);', '  if (!order) {'],
    context_line: '    throw new NotFoundError(`order ${id} not found`);',
    post_context: ['  }', '  return order;'],
  });
  const event: Record<string, unknown> & { breadcrumbs: { values: unknown[] } } = {
    platform: 'node',
    level: 'error',
    release: 'shop@4.2.0',
    environment: 'production',
    server_name: 'web-1',
    timestamp: Date.now() / 1000,
    tags: { region: 'eu-west-1', feature: 'checkout', plan: 'pro' },
    user: { id: 'u-1234', email: 'customer@example.com', ip_address: '198.51.100.7' },
    contexts: { os: { name: 'Linux', version: '6.1' }, runtime: { name: 'node', version: 'v20.11.0' }, device: { arch: 'x64', memory_size: 8_000_000_000 } },
    request: { url: 'https://shop.example.com/api/orders/123', method: 'POST', headers: { 'User-Agent': 'Mozilla/5.0', Authorization: 'Bearer abcdefghijklmnop' } },
    exception: { values: [{ type: 'NotFoundError', value: 'order 123 not found', stacktrace: { frames: Array.from({ length: 12 }, (_, n) => frame(n)) } }] },
    breadcrumbs: { values: [] },
  };
  while (JSON.stringify(event).length < bytes) {
    event.breadcrumbs.values.push({ timestamp: Date.now() / 1000, category: 'http', level: 'info', message: 'GET https://api.example.com/inventory/42 [200]', data: { status_code: 200, method: 'GET' } });
  }
  return event;
}

export function envelope(event: Record<string, unknown>, eventId?: string): Buffer {
  const payload = JSON.stringify(eventId ? { ...event, event_id: eventId } : event);
  return Buffer.from(`${JSON.stringify({ sent_at: new Date().toISOString(), ...(eventId ? { event_id: eventId } : {}) })}\n${JSON.stringify({ type: 'event', length: Buffer.byteLength(payload) })}\n${payload}\n`);
}

/** What both ingest benches override in error-ingest's config: one role, quiet, no quotas, no spike alerts. */
export function benchServiceEnv(env: Record<string, string>, role: 'ingest' | 'process'): Record<string, string> {
  return {
    ...env,
    ERRORS_ROLE: role,
    LOG_LEVEL: 'error',
    KAFKA_TOPIC_PARTITIONS: '3',
    DATABASE_POOL_MAX: '10',
    ERRORS_RATE_LIMIT_PER_MINUTE: '100000000',
    ERRORS_KEY_RATE_LIMIT_PER_MINUTE: '100000000',
    ERRORS_SPIKE_MIN_COUNT: '1000000',
  };
}
