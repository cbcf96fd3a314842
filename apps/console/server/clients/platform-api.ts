// The services' own HTTP APIs, called with an API key (the first-start seed uses the dev admin key).
export class PlatformApiError extends Error {
  override readonly name = 'PlatformApiError';
}

export class PlatformApi {
  constructor(
    private readonly key: string,
    private readonly signal?: AbortSignal,
  ) {}

  async call<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(new URL(path, base), {
      method,
      headers: { authorization: `Bearer ${this.key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: this.signal ? AbortSignal.any([this.signal, AbortSignal.timeout(10_000)]) : AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (!res.ok) {
      const detail = (() => {
        try {
          const p = JSON.parse(text) as { code?: string; detail?: string };
          return `${p.code ?? ''} ${p.detail ?? ''}`.trim();
        } catch {
          return text.slice(0, 200);
        }
      })();
      throw new PlatformApiError(`${method} ${new URL(path, base).pathname} → ${res.status} ${detail}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Every item of a list endpoint (`{ items, nextCursor }`), following the cursors. */
  async all<T>(base: string, path: string): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | null = null;
    do {
      const url = `${path}${path.includes('?') ? '&' : '?'}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: { items: T[]; nextCursor: string | null } = await this.call(base, 'GET', url);
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }
}
