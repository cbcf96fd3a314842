// The bus's connection to Kafka from config: plain for the local broker, TLS + SASL for a
// managed one. Event Hubs: PLAIN with user `$ConnectionString` and the connection string as
// password, or OAUTHBEARER with an Entra ID token from the app's managed identity.
import type { KafkaConnection } from '@vigil/events';
import { ConfigError, type BaseConfig } from './config.js';

type KafkaConfig = Pick<
  BaseConfig,
  'KAFKA_SSL' | 'KAFKA_SASL_MECHANISM' | 'KAFKA_SASL_USERNAME' | 'KAFKA_SASL_PASSWORD' | 'KAFKA_OAUTH_TOKEN_URL' | 'KAFKA_OAUTH_RESOURCE' | 'IDENTITY_ENDPOINT' | 'IDENTITY_HEADER' | 'AZURE_CLIENT_ID' | 'KAFKA_REQUEST_TIMEOUT_MS'
>;

export function kafkaConnection(c: KafkaConfig): KafkaConnection {
  const base = { ssl: c.KAFKA_SSL, requestTimeoutMs: c.KAFKA_REQUEST_TIMEOUT_MS };
  if (c.KAFKA_SASL_MECHANISM === 'plain') {
    if (!c.KAFKA_SASL_USERNAME) throw new ConfigError('invalid configuration:\n  KAFKA_SASL_USERNAME: required when KAFKA_SASL_MECHANISM=plain');
    if (!c.KAFKA_SASL_PASSWORD) throw new ConfigError('invalid configuration:\n  KAFKA_SASL_PASSWORD: required when KAFKA_SASL_MECHANISM=plain');
    return { ...base, sasl: { mechanism: 'plain', username: c.KAFKA_SASL_USERNAME, password: c.KAFKA_SASL_PASSWORD } };
  }
  if (c.KAFKA_SASL_MECHANISM === 'oauthbearer') return { ...base, sasl: { mechanism: 'oauthbearer', token: tokenSource(c) } };
  return base;
}

/** A cached token, refreshed five minutes before it expires. */
function tokenSource(c: KafkaConfig): () => Promise<string> {
  let request: { url: string; headers: Record<string, string> };
  if (c.KAFKA_OAUTH_TOKEN_URL) request = { url: c.KAFKA_OAUTH_TOKEN_URL, headers: {} };
  else if (c.IDENTITY_ENDPOINT && c.IDENTITY_HEADER && c.KAFKA_OAUTH_RESOURCE) {
    const q = `api-version=2019-08-01&resource=${encodeURIComponent(c.KAFKA_OAUTH_RESOURCE)}${c.AZURE_CLIENT_ID ? `&client_id=${encodeURIComponent(c.AZURE_CLIENT_ID)}` : ''}`;
    request = { url: `${c.IDENTITY_ENDPOINT}?${q}`, headers: { 'X-IDENTITY-HEADER': c.IDENTITY_HEADER } };
  } else {
    throw new ConfigError('invalid configuration:\n  KAFKA_OAUTH_TOKEN_URL: required when KAFKA_SASL_MECHANISM=oauthbearer (or KAFKA_OAUTH_RESOURCE with a managed identity)');
  }
  let cached: { token: string; refreshAt: number } | undefined;
  return async () => {
    if (cached && Date.now() < cached.refreshAt) return cached.token;
    const res = await fetch(request.url, { headers: request.headers, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`Kafka OAUTHBEARER token: HTTP ${res.status} from ${new URL(request.url).origin}`);
    const body = (await res.json()) as { access_token?: string; expires_in?: number | string; expires_on?: number | string };
    if (!body.access_token) throw new Error(`Kafka OAUTHBEARER token: no access_token from ${new URL(request.url).origin}`);
    const expiresAt = body.expires_on ? Number(body.expires_on) * 1000 : Date.now() + Number(body.expires_in ?? 300) * 1000;
    cached = { token: body.access_token, refreshAt: expiresAt - 5 * 60_000 };
    return cached.token;
  };
}
