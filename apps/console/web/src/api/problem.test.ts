import { describe, expect, it } from 'vitest';
import { errorMessage, problemFrom } from './problem';

const response = (status: number) => new Response(null, { status, statusText: 'X' });

describe('API problems', () => {
  it('carry the detail and the field a validation failure names', () => {
    const p = problemFrom(response(400), { status: 400, code: 'VALIDATION_FAILED', detail: '`email` in body must match ^[^@]+@' });
    expect(p.field).toBe('email');
    expect(errorMessage(p)).toMatch(/must match/);
    expect(problemFrom(response(400), { detail: '`steps[0].receiver` in body must not be empty' }).field).toBe('steps');
    expect(p.code).toBe('VALIDATION_FAILED');
  });
  it('prefer an explicit field', () => {
    expect(problemFrom(response(409), { detail: 'taken', field: 'name' }).field).toBe('name');
  });
  it('say something useful when the body is not a problem', () => {
    const p = problemFrom(response(502), '<html>Bad gateway</html>');
    expect(p.status).toBe(502);
    expect(errorMessage(p)).toContain('Bad gateway');
  });
});
