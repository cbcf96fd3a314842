// Sentry envelope framing: a JSON header line, then items of (JSON item header line,
// payload). A payload is `length` bytes when the item header says so, else up to the
// next newline. https://develop.sentry.dev/sdk/data-model/envelopes/
import { MAX_JSON_DEPTH, nestsDeeperThan } from '@vigil/service-kit';
import { malformed, tooLarge } from '../errors.js';

export interface EnvelopeItem {
  type: string;
  header: Record<string, unknown>;
  payload: Buffer;
}

export interface Envelope {
  header: Record<string, unknown>;
  items: EnvelopeItem[];
}

const NL = 0x0a;
const MAX_HEADER_LINE = 64 * 1024;

function parseJsonLine(buf: Buffer, what: string): Record<string, unknown> {
  if (buf.length > MAX_HEADER_LINE) throw tooLarge('ERRORS_HEADER_TOO_LARGE', `${what} is larger than ${MAX_HEADER_LINE} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw malformed('ERRORS_ENVELOPE_INVALID', `${what} is not valid JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw malformed('ERRORS_ENVELOPE_INVALID', `${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

function lineEnd(buf: Buffer, from: number): number {
  const i = buf.indexOf(NL, from);
  return i === -1 ? buf.length : i;
}

export function parseEnvelope(body: Buffer): Envelope {
  if (!body.length) throw malformed('ERRORS_EMPTY_BODY', 'the envelope is empty');
  let pos = lineEnd(body, 0);
  const header = parseJsonLine(body.subarray(0, pos), 'envelope header');
  pos++;
  const items: EnvelopeItem[] = [];
  while (pos < body.length) {
    const end = lineEnd(body, pos);
    const line = body.subarray(pos, end);
    pos = end + 1;
    // Trailing or blank lines between items carry nothing.
    if (!line.length || (line.length === 1 && line[0] === 0x0d)) continue;
    const itemHeader = parseJsonLine(line, `item header #${items.length + 1}`);
    const type = itemHeader.type;
    if (typeof type !== 'string' || !type) throw malformed('ERRORS_ITEM_INVALID', `item #${items.length + 1} has no type`);
    let payload: Buffer;
    if (itemHeader.length !== undefined) {
      const length = itemHeader.length;
      if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
        throw malformed('ERRORS_ITEM_LENGTH_INVALID', `item #${items.length + 1} (${type}) has an invalid length ${JSON.stringify(length)}`);
      }
      if (pos + length > body.length) {
        throw malformed('ERRORS_ITEM_LENGTH_INVALID', `item #${items.length + 1} (${type}) declares ${length} bytes but only ${Math.max(0, body.length - pos)} remain`);
      }
      payload = body.subarray(pos, pos + length);
      pos += length;
      if (pos < body.length) {
        if (body[pos] !== NL) throw malformed('ERRORS_ITEM_LENGTH_INVALID', `item #${items.length + 1} (${type}) is not followed by a newline after ${length} bytes`);
        pos++;
      }
    } else {
      const pend = lineEnd(body, pos);
      payload = body.subarray(pos, pend);
      pos = pend + 1;
    }
    items.push({ type, header: itemHeader, payload });
  }
  return { header, items };
}

/** The JSON object in an item payload (event, client_report). */
export function parseItemJson(item: EnvelopeItem): Record<string, unknown> {
  if (!item.payload.length) throw malformed('ERRORS_ITEM_INVALID', `the ${item.type} item is empty`);
  if (nestsDeeperThan(item.payload, MAX_JSON_DEPTH)) {
    throw malformed('ERRORS_EVENT_INVALID', `the ${item.type} item nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels; allowed: at most ${MAX_JSON_DEPTH}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(item.payload.toString('utf8'));
  } catch (err) {
    throw malformed('ERRORS_EVENT_INVALID', `the ${item.type} item is not valid JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw malformed('ERRORS_EVENT_INVALID', `the ${item.type} item must be a JSON object`);
  return value as Record<string, unknown>;
}
