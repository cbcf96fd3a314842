// SQL for records of processing activities (Art. 30(1)).
import type { PoolClient } from 'pg';

export interface ProcessingRecordRow {
  id: string;
  name: string;
  controller: { name: string; contact: string; representative?: string; dpo?: string };
  purposes: string[];
  dataSubjectCategories: string[];
  dataCategories: string[];
  recipients: string[];
  thirdCountryTransfers: { country: string; safeguards: string }[];
  retention: string;
  securityMeasures: string;
  createdAt: string;
  updatedAt: string;
}

const COLUMNS = `id, name, controller, purposes, data_subject_categories, data_categories, recipients, third_country_transfers, retention, security_measures, created_at, updated_at`;

function toRecord(r: Record<string, unknown>): ProcessingRecordRow {
  return {
    id: r.id as string,
    name: r.name as string,
    controller: r.controller as ProcessingRecordRow['controller'],
    purposes: r.purposes as string[],
    dataSubjectCategories: r.data_subject_categories as string[],
    dataCategories: r.data_categories as string[],
    recipients: r.recipients as string[],
    thirdCountryTransfers: r.third_country_transfers as ProcessingRecordRow['thirdCountryTransfers'],
    retention: r.retention as string,
    securityMeasures: r.security_measures as string,
    createdAt: (r.created_at as Date).toISOString(),
    updatedAt: (r.updated_at as Date).toISOString(),
  };
}

export type RecordInput = Omit<ProcessingRecordRow, 'id' | 'createdAt' | 'updatedAt'>;

/** Creates or replaces the record with this name. */
export async function upsertRecord(tx: PoolClient, tenantId: string, id: string, r: RecordInput): Promise<ProcessingRecordRow> {
  const { rows } = await tx.query(
    `INSERT INTO gdpr.processing_records (id, tenant_id, name, controller, purposes, data_subject_categories, data_categories, recipients,
       third_country_transfers, retention, security_measures) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (tenant_id, name) DO UPDATE SET controller = EXCLUDED.controller, purposes = EXCLUDED.purposes,
       data_subject_categories = EXCLUDED.data_subject_categories, data_categories = EXCLUDED.data_categories, recipients = EXCLUDED.recipients,
       third_country_transfers = EXCLUDED.third_country_transfers, retention = EXCLUDED.retention, security_measures = EXCLUDED.security_measures,
       updated_at = now()
     RETURNING ${COLUMNS}`,
    [id, tenantId, r.name, JSON.stringify(r.controller), r.purposes, r.dataSubjectCategories, r.dataCategories, r.recipients,
      JSON.stringify(r.thirdCountryTransfers), r.retention, r.securityMeasures],
  );
  return toRecord(rows[0]);
}

export async function listRecords(tx: PoolClient): Promise<ProcessingRecordRow[]> {
  const { rows } = await tx.query(`SELECT ${COLUMNS} FROM gdpr.processing_records ORDER BY name`);
  return rows.map(toRecord);
}

export async function getRecord(tx: PoolClient, id: string): Promise<ProcessingRecordRow | undefined> {
  const { rows } = await tx.query(`SELECT ${COLUMNS} FROM gdpr.processing_records WHERE id = $1`, [id]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}
