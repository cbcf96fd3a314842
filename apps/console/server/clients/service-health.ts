// Readiness of the services behind the front door (their /readyz).
export interface ServiceHealth {
  status: string;
  checks: Record<string, string>;
}

export async function probeService(baseUrl: string, timeoutMs = 2_000): Promise<ServiceHealth> {
  try {
    const res = await fetch(new URL('/readyz', baseUrl), { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.json().catch(() => ({}))) as Partial<ServiceHealth>;
    return { status: body.status ?? (res.ok ? 'ready' : 'unavailable'), checks: body.checks ?? {} };
  } catch (err) {
    return { status: 'unreachable', checks: { http: (err as Error).message } };
  }
}
