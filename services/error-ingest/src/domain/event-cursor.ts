// Keyset cursor of an issue's event pages: `<received at ISO>|<event id as a dashed UUID>`
// of the last row of the previous page.
export interface EventCursor {
  receivedAt: string;
  eventId: string;
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)\|([0-9a-f-]{36})$/;

/** The cursor, or undefined when the text is not one this service issued. */
export function decodeEventCursor(text: string): EventCursor | undefined {
  const m = CURSOR.exec(text);
  return m ? { receivedAt: m[1]!, eventId: m[2]! } : undefined;
}

/** Events carry 32-hex ids (Sentry's form); the cursor holds the UUID form PostgreSQL compares. */
export function encodeEventCursor(last: { receivedAt: string; eventId: string }): string {
  return `${last.receivedAt}|${last.eventId.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')}`;
}
