// How the bus reaches a managed Kafka such as Azure Event Hubs' Kafka endpoint: TLS, SASL PLAIN
// (Event Hubs: user name `$ConnectionString`, password = the connection string) or OAUTHBEARER
// (an Entra ID token), and the limits such a service imposes on clients.
import type { SASLOptions } from 'kafkajs';

export type KafkaSasl =
  | { mechanism: 'plain'; username: string; password: string }
  /** `token` is called whenever the client (re)authenticates; it returns a bearer token. */
  | { mechanism: 'oauthbearer'; token: () => Promise<string> };

export interface KafkaConnection {
  ssl?: boolean;
  sasl?: KafkaSasl;
  /** kafkajs' request timeout; Event Hubs recommends 60 s. */
  requestTimeoutMs?: number;
}

/**
 * Event Hubs rejects a produce request of 1,046,528 bytes or more; the producer splits its
 * batches well under that (protocol framing and record headers add to the payload sizes).
 */
export const MAX_REQUEST_BYTES = 1_046_528;
export const BATCH_BYTES_BUDGET = 900_000;

export function kafkaClientSettings(c: KafkaConnection): { ssl?: boolean; sasl?: SASLOptions; requestTimeout?: number } {
  const out: { ssl?: boolean; sasl?: SASLOptions; requestTimeout?: number } = {};
  if (c.ssl) out.ssl = true;
  if (c.requestTimeoutMs) out.requestTimeout = c.requestTimeoutMs;
  if (c.sasl?.mechanism === 'plain') out.sasl = { mechanism: 'plain', username: c.sasl.username, password: c.sasl.password };
  if (c.sasl?.mechanism === 'oauthbearer') {
    const token = c.sasl.token;
    out.sasl = { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: await token() }) };
  }
  return out;
}
