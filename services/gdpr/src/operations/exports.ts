// Access (Art. 15) and portability (Art. 20) exports of a completed request: the parts the
// data holders sent in their receipts, read one service at a time and rendered as a stream.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Pool } from 'pg';
import { canonicalJson, sha256 } from '@vigil/privacy';
import { listDataHolders } from '../db/data-holders.js';
import { listRetentionPolicies } from '../db/holds.js';
import { listRecords } from '../db/records.js';
import { exportPart, getRequest, listReceipts, type RequestRow } from '../db/requests.js';
import { withTransaction } from '@vigil/service-kit';
import { asTenant } from './tenant-scope.js';
import { accessInformation, ART15_PART } from '../domain/access-information.js';
import { CONTENT_TYPES, RENDERERS, type ExportFormat, type ExportHeader, type ExportPart } from '../domain/export-formats.js';
import { notExportable, requestNotFound } from '../errors.js';

async function accessInformationOf(pool: Pool, tenantId: string) {
  return withTransaction(pool, async (tx) =>
    accessInformation({ records: await listRecords(tx), holders: await listDataHolders(tx), policies: await listRetentionPolicies(tx) }), asTenant(tenantId));
}

async function exportable(pool: Pool, tenantId: string, id: string): Promise<{ request: RequestRow; services: string[] }> {
  return withTransaction(pool, async (tx) => {
    const request = await getRequest(tx, id);
    if (!request) throw requestNotFound(id);
    if (request.kind === 'erasure' || request.state !== 'completed') throw notExportable(id);
    const receipts = await listReceipts(tx, id);
    return { request, services: receipts.filter((r) => r.status === 'completed' && r.exportSha256).map((r) => r.service) };
  }, asTenant(tenantId));
}

async function* partsOf(pool: Pool, tenantId: string, request: RequestRow, services: string[]): AsyncGenerator<ExportPart> {
  if (request.kind === 'access') {
    const info = await accessInformationOf(pool, tenantId);
    yield { service: ART15_PART, sha256: sha256(canonicalJson(info)), data: info };
  }
  for (const service of services) {
    const part = await withTransaction(pool, (tx) => exportPart(tx, request.id, service), asTenant(tenantId));
    if (part) yield { service, sha256: part.sha256, data: part.data };
  }
}

const headerOf = (r: RequestRow): ExportHeader => ({ requestId: r.id, kind: r.kind, generatedAt: r.completedAt ?? r.receivedAt });

export async function exportStream(pool: Pool, tenantId: string, id: string, format: ExportFormat): Promise<{ contentType: string; stream: Readable; filename: string }> {
  const { request, services } = await exportable(pool, tenantId, id);
  return {
    contentType: CONTENT_TYPES[format],
    filename: `subject-request-${id}.${format}`,
    stream: Readable.from(RENDERERS[format](headerOf(request), partsOf(pool, tenantId, request, services))),
  };
}

/** Checksums of each part (verified against the receipt) and of each rendered file, hashed while streaming. */
export async function exportManifest(pool: Pool, tenantId: string, id: string) {
  const { request, services } = await exportable(pool, tenantId, id);
  const parts: { service: string; sha256: string | null; verified: boolean }[] = [];
  for await (const p of partsOf(pool, tenantId, request, services)) parts.push({ service: p.service, sha256: p.sha256, verified: p.sha256 === sha256(canonicalJson(p.data)) });
  const files: Record<string, { sha256: string; bytes: number }> = {};
  for (const format of Object.keys(RENDERERS) as ExportFormat[]) {
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of RENDERERS[format](headerOf(request), partsOf(pool, tenantId, request, services))) {
      hash.update(chunk);
      bytes += Buffer.byteLength(chunk);
    }
    files[`subject-request-${id}.${format}`] = { sha256: hash.digest('hex'), bytes };
  }
  return { requestId: id, kind: request.kind, generatedAt: headerOf(request).generatedAt, parts, files };
}
