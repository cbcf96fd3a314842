// The HTTP POST of a scheduled report to its webhook receiver (no redirects: the signed body goes where it was configured).
export async function postWebhook(url: string, body: string, headers: Record<string, string>, signal?: AbortSignal): Promise<{ status: number }> {
  const timeout = AbortSignal.timeout(15_000);
  const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  await res.arrayBuffer().catch(() => undefined);
  return { status: res.status };
}
