// A local HTTP receiver standing in for Slack, PagerDuty and webhook endpoints: records every
// request and answers as told.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SinkRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
  at: number;
  /** The status the sink answered with. */
  status?: number;
  /** Held: never answered. */
  held?: boolean;
}

export interface SinkReply {
  status: number;
  headers?: Record<string, string>;
  /** Negative: hold the request and never answer it. */
  delayMs?: number;
}

export class HttpSink {
  readonly requests: SinkRequest[] = [];
  /** Requests received whose reply has not been written yet. */
  readonly inFlight = new Set<SinkRequest>();
  respond: (r: SinkRequest) => SinkReply = () => ({ status: 200 });
  private server?: Server;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        const rec: SinkRequest = { path: req.url ?? '/', headers: req.headers, body, json, at: Date.now() };
        this.requests.push(rec);
        const reply = this.respond(rec);
        rec.status = reply.status;
        this.inFlight.add(rec);
        if (reply.delayMs !== undefined && reply.delayMs < 0) {
          rec.status = undefined;
          rec.held = true;
          return;
        }
        setTimeout(() => {
          this.inFlight.delete(rec);
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end('{}');
        }, reply.delayMs ?? 0);
      });
    });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}${path}`;
  }

  /** Open client connections (a dead client's sockets close once the sink has read all it sent). */
  openConnections(): Promise<number> {
    return new Promise((resolve, reject) => this.server!.getConnections((err, n) => (err ? reject(err) : resolve(n))));
  }

  on(path: string): SinkRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
