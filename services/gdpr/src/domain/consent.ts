// Consent changes: one appended row plus one ConsentChanged event, committed together.
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { ConsentChanged, type Outbox } from '@vigil/events';
import { appendConsent, consentHistory, type ConsentRow } from '../db/consents.js';
import { subjectRef } from '@vigil/privacy';

export interface ConsentInput {
  subjectId: string;
  purpose: string;
  granted: boolean;
  method?: 'given' | 'withdrawn' | 'gpc';
  noticeVersion: string;
  channel: string;
  source: string;
  ip?: string;
  userAgent?: string;
}

export interface ConsentDeps {
  pool: Pool;
  outbox: Outbox;
  pseudonymKey: string;
}

export async function recordConsent(deps: ConsentDeps, tenantId: string, input: ConsentInput): Promise<ConsentRow> {
  const ref = (v: string) => subjectRef(deps.pseudonymKey, tenantId, v);
  const method = input.method ?? (input.granted ? 'given' : 'withdrawn');
  const client = await deps.pool.connect();
  try {
    await client.query('BEGIN');
    const row = await appendConsent(client, {
      id: randomUUID(),
      tenantId,
      subjectRef: ref(input.subjectId),
      purpose: input.purpose,
      granted: input.granted,
      method,
      noticeVersion: input.noticeVersion,
      channel: input.channel,
      source: input.source,
      ipRef: input.ip ? ref(input.ip) : null,
      userAgentRef: input.userAgent ? ref(input.userAgent) : null,
    });
    await deps.outbox.enqueue(
      client,
      ConsentChanged,
      {
        consentId: row.id,
        subjectRef: row.subjectRef,
        purpose: row.purpose,
        granted: row.granted,
        method: row.method,
        noticeVersion: row.noticeVersion,
        recordedAt: row.recordedAt,
      },
      { tenantId },
    );
    await client.query('COMMIT');
    return row;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

export async function subjectConsentHistory(deps: ConsentDeps, tenantId: string, subjectId: string): Promise<ConsentRow[]> {
  return consentHistory(deps.pool, tenantId, subjectRef(deps.pseudonymKey, tenantId, subjectId));
}
