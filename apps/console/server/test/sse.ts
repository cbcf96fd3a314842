// A minimal SSE client over fetch (what a browser's EventSource does), for the stream tests.
export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

export interface SseConnection {
  status: number;
  messages: SseMessage[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  waitFor(pred: (m: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  close(): void;
}

export async function openStream(url: string, headers: Record<string, string>): Promise<SseConnection> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const messages: SseMessage[] = [];
  const waiters = new Set<() => void>();
  const ended = (async () => {
    if (!res.body) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += decoder.decode(value, { stream: true });
        let at: number;
        while ((at = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, at);
          buf = buf.slice(at + 2);
          const m: SseMessage = { event: 'message', data: '' };
          let data: string[] | undefined;
          for (const line of block.split('\n')) {
            const [field, ...rest] = line.split(':');
            const v = rest.join(':').replace(/^ /, '');
            if (field === 'id') m.id = v;
            else if (field === 'event') m.event = v;
            else if (field === 'data') (data ??= []).push(v);
          }
          if (data) {
            m.data = data.join('\n');
            messages.push(m);
            waiters.forEach((w) => w());
          }
        }
      }
    } catch {
      // aborted by close()
    } finally {
      waiters.forEach((w) => w());
    }
  })();
  let done = false;
  void ended.then(() => (done = true));
  return {
    status: res.status,
    messages,
    ended,
    waitFor(pred, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = messages.find(pred);
          if (hit) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(hit);
          } else if (done) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error('stream ended before the message arrived'));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching message within ${timeoutMs} ms (got ${messages.map((m) => m.event).join(', ')})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => abort.abort(),
  };
}
