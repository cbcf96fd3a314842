// perf-collector's part of data subject requests. Normalised query texts hold no literals, so
// the only personal data are APM attribute values equal to a subject identifier.
import { heldGround, type SubjectDataHandler } from '@vigil/privacy';
import { eraseApmPoints, exportApmPoints } from '../db/subject-data.js';

export const APM_CATEGORY = 'apm-attributes';
const TABLE = 'perf.apm_points';

export const subjectData: SubjectDataHandler = {
  async erase(tx, req) {
    const ground = heldGround(req, APM_CATEGORY);
    const values = req.identifiers.map((i) => i.value);
    if (ground) return [{ table: TABLE, rows: (await exportApmPoints(tx, req.tenantId, values)).length, action: 'retained', ground }];
    return [{ table: TABLE, rows: await eraseApmPoints(tx, req.tenantId, values), action: 'erased' }];
  },
  async export(tx, req) {
    const points = await exportApmPoints(tx, req.tenantId, req.identifiers.map((i) => i.value));
    return { tables: [{ table: TABLE, rows: points.length, action: 'exported' }], data: { apmPoints: points } };
  },
};
