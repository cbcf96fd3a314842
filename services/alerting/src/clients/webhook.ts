// One POST over keep-alive connections (node:http is markedly cheaper than fetch per request).
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 64 });

export interface PostOutcome {
  status: number;
  retryAfter?: string;
}

export class SendError extends Error {
  override readonly name = 'SendError';
  constructor(readonly code: string) {
    super(code);
  }
}

export function postJson(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostOutcome> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return reject(new SendError('INVALID_URL'));
    }
    const https = target.protocol === 'https:';
    const send = https ? httpsRequest : httpRequest;
    let answer: IncomingMessage | undefined;
    const outcome = (res: IncomingMessage): PostOutcome => {
      const ra = res.headers['retry-after'];
      return { status: res.statusCode ?? 0, retryAfter: Array.isArray(ra) ? ra[0] : ra };
    };
    const req = send(target, { method: 'POST', agent: https ? httpsAgent : httpAgent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res: IncomingMessage) => {
      answer = res;
      res.resume();
      res.on('end', () => {
        clearTimeout(timer);
        resolve(outcome(res));
      });
      res.on('error', (err: NodeJS.ErrnoException) => reject(new SendError(err.code ?? 'RESPONSE_ERROR')));
    });
    // After a stall of the event loop (a long GC or synchronous task, a starved CPU), expired timers run
    // before the I/O that arrived meanwhile: the timeout waits one turn, for a reply already received to be
    // read first. A receiver that answered has the request, so its status counts even if the body is slow:
    // calling that a timeout would send it again.
    const timer = setTimeout(
      () =>
        setImmediate(() => {
          if (answer) {
            resolve(outcome(answer));
            answer.destroy();
          } else req.destroy(new SendError('TIMEOUT'));
        }),
      timeoutMs,
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err instanceof SendError ? err : new SendError(err.code ?? 'REQUEST_ERROR'));
    });
    req.end(body);
  });
}
