import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sentryErrorHeader } from './sentry-error-header.js';

describe('sentryErrorHeader', () => {
  it('keeps printable ASCII as it is', () => {
    expect(sentryErrorHeader('envelope header is not valid JSON: "x"')).toBe('envelope header is not valid JSON: "x"');
  });

  it('escapes CR, LF, controls, non-Latin-1 and lone surrogates', () => {
    expect(sentryErrorHeader('a\r\nb\u0000c\u00a7d\u{1f600}e\ud800')).toBe('a\\u000d\\u000ab\\u0000c\\u00a7d\\ud83d\\ude00e\\ud800');
  });

  it('is a valid header value of at most 500 characters for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 1000 }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 600 }), (a, b) => {
        for (const v of [sentryErrorHeader(a), sentryErrorHeader(b)]) {
          expect(v).toMatch(/^[\x20-\x7e]*$/);
          expect(v.length).toBeLessThanOrEqual(500);
        }
      }),
      { numRuns: 500 },
    );
  });
});
