// What of an event goes into the audit log: raw identifiers become HMAC refs, export data is
// reduced to its checksum, free-text errors to a hash. Pure: the subject ref of a request
// event is looked up by the caller (it lives on the request, not in the event).
import type { Envelope } from '@vigil/events';
import { canonicalJson, sha256, subjectRef } from '@vigil/privacy';

type Data = Record<string, unknown>;

export interface RedactedEvent {
  data: Data;
  /** Known from the event itself. */
  subjectRef: string | null;
  /** The request whose subject ref applies instead, for request and receipt events. */
  requestId?: string;
}

export function redactForAudit(key: string, event: Envelope, topic: string): RedactedEvent {
  const data = { ...(event.data as Data) };
  const ref = (v: string) => subjectRef(key, event.tenantId, v);
  switch (topic) {
    case 'gdpr.subject-requests': {
      const ids = (data.identifiers as { type: string; value: string }[]) ?? [];
      data.identifiers = ids.map((i) => ({ type: i.type, ref: ref(i.value) }));
      return { data, subjectRef: null, requestId: data.requestId as string };
    }
    case 'gdpr.request-receipts': {
      const part = data.exportPart as { format: string; sha256: string } | undefined;
      if (part) data.exportPart = { format: part.format, sha256: part.sha256 };
      if (typeof data.error === 'string') data.error = { sha256: sha256(data.error) };
      return { data, subjectRef: null, requestId: data.requestId as string };
    }
    case 'gdpr.consent':
    case 'audit.processing':
      return { data, subjectRef: (data.subjectRef as string | undefined) ?? null };
    default:
      return { data, subjectRef: null };
  }
}

/** The canonical text an entry's hash covers. */
export const auditContent = (event: Envelope, data: Data) =>
  canonicalJson({ eventId: event.id, type: event.type, version: event.version, source: event.source, occurredAt: event.occurredAt, data });
