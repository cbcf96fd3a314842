// The problem+json body the kit's error handler sends, for the routes' documented error responses.
import { Type } from '@sinclair/typebox';

export const Problem = Type.Object(
  { type: Type.String(), title: Type.String(), status: Type.Integer(), code: Type.String(), detail: Type.Optional(Type.String()), instance: Type.Optional(Type.String()), requestId: Type.Optional(Type.String()) },
  { additionalProperties: true, description: 'RFC 9457 problem (application/problem+json) with a stable code' },
);
