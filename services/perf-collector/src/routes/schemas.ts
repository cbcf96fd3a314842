// Schemas shared by the route plugins.
import { Type } from '@sinclair/typebox';

export const DatabaseParams = Type.Object({ databaseId: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,100}$' }) });
export const Hours = Type.Integer({ minimum: 1, maximum: 24 * 400, default: 24 });
