// Receiver configurations, as stored and as accepted over the API.
import { Type, type Static } from '@sinclair/typebox';

const Url = Type.String({ pattern: '^https?://', maxLength: 2000 });
export const ReceiverInput = Type.Union([
  Type.Object({ kind: Type.Literal('slack'), webhookUrl: Url, channel: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('pagerduty'),
      routingKey: Type.String({ minLength: 1, maxLength: 64 }),
      url: Type.Optional(Url),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('webhook'), url: Url, secret: Type.String({ minLength: 16, maxLength: 200, description: 'HMAC-SHA256 key' }) }, { additionalProperties: false }),
]);
export type ReceiverConfig = Static<typeof ReceiverInput>;
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

/** What the API shows: secrets reduced to a hint. */
export function redactReceiver(c: ReceiverConfig): Record<string, unknown> {
  const hint = (s: string) => `…${s.slice(-4)}`;
  switch (c.kind) {
    case 'slack':
      return { kind: c.kind, webhookUrl: `${new URL(c.webhookUrl).origin}/${hint(c.webhookUrl)}`, channel: c.channel };
    case 'pagerduty':
      return { kind: c.kind, routingKey: hint(c.routingKey), url: c.url };
    case 'webhook':
      return { kind: c.kind, url: c.url, secret: '[redacted]' };
  }
}
