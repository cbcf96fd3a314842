// What dr-orchestrator holds of a data subject. Backups are whole-database pg_dump archives:
// a subject's rows inside them cannot be read out or erased one by one, so they are reported as
// retained under the backup retention, with where they are held and until when (Art. 15(1)(d)).
import type { PoolClient } from 'pg';
import { heldGround, type SubjectDataHandler, type SubjectRequest, type TableOutcome } from '@vigil/privacy';
import { backupHoldings } from '../db/backups.js';

const GROUND =
  'backup retention: immutable database backups are not altered per subject; the data expires with the backup under the retention policy, and a restore re-applies erasures before use';

async function retained(tx: PoolClient, req: SubjectRequest): Promise<{ tables: TableOutcome[]; holdings: Awaited<ReturnType<typeof backupHoldings>> }> {
  const holdings = await backupHoldings(tx, req.tenantId);
  const rows = holdings.reduce((n, h) => n + h.backups, 0);
  return { holdings, tables: [{ table: 'dr.backups', rows, action: 'retained', ground: heldGround(req, 'backups') ?? GROUND }] };
}

export const backupSubjectData: SubjectDataHandler = {
  erase: async (tx, req) => (await retained(tx, req)).tables,
  export: async (tx, req) => {
    const { tables, holdings } = await retained(tx, req);
    return {
      tables,
      data: {
        backups: holdings.map((h) => ({
          database: h.database,
          backupsHeld: h.backups,
          oldestBackupAt: h.oldest?.toISOString() ?? null,
          retention: `newest ${h.retentionCount} backups`,
        })),
        note: 'Your data may be contained in these database backups; they are kept for recovery only and deleted as newer backups replace them.',
      },
    };
  },
};
