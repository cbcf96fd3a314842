import { Type } from '@sinclair/typebox';

export const Id = Type.String({ minLength: 1, maxLength: 200 });
export const Timestamp = Type.String({ format: 'date-time' });
export const Labels = Type.Record(Type.String(), Type.String());
export const Severity = Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]);
