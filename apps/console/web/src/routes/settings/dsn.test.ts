import { describe, expect, it } from 'vitest';
import { browserSnippet, consoleDsn, nodeSnippet } from './dsn';

describe('DSNs shown in the console', () => {
  it("point at the console's own origin", () => {
    expect(consoleDsn('abc123', '7', 'https://vigil.example.com')).toBe('https://abc123@vigil.example.com/7');
    expect(consoleDsn('abc123', '7', 'http://127.0.0.1:4100')).toBe('http://abc123@127.0.0.1:4100/7');
  });
  it('are what the SDK snippets initialise with', () => {
    const dsn = consoleDsn('k', '1', 'http://127.0.0.1:4100');
    expect(nodeSnippet(dsn)).toContain(`dsn: '${dsn}'`);
    expect(nodeSnippet(dsn)).toContain("from '@sentry/node'");
    expect(browserSnippet(dsn)).toContain("from '@sentry/browser'");
  });
});
