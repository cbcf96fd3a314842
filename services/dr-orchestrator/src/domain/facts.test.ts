import { describe, expect, it } from 'vitest';
import { overall, schemaDiffCheck, tableChecks } from './facts.js';
import { openSecret, sealSecret } from '@vigil/privacy';
import { parseSourceUrl, redactSourceUrl, SOURCE_URL_SECRET_CONTEXT } from './source-url.js';
import { continuityDocument, gapsOf } from './continuity.js';
import { rpoState, rtoState } from './objectives.js';
import { checkPolicyInput } from './policy-input.js';

const t = (name: string, rows: number, checksum: string) => ({ schema: 'public', name, rows, checksum, bytes: 0 });

describe('restore checks', () => {
  it('passes identical schemas and reports missing and extra catalog lines', () => {
    expect(schemaDiffCheck(['a', 'b'], ['b', 'a']).outcome).toBe('passed');
    const diff = schemaDiffCheck(['index x', 'column t.c int'], ['column t.c int', 'column t.d int']);
    expect(diff).toEqual({ name: 'schema_diff', outcome: 'failed', detail: 'missing in restore: index x; extra in restore: column t.d int' });
  });

  it('separates row-count from checksum differences', () => {
    const [counts, sums] = tableChecks([t('a', 2, '10'), t('b', 3, '20'), t('c', 1, '5')], [t('a', 2, '11'), t('b', 4, '20')]);
    expect(counts).toMatchObject({ outcome: 'failed', detail: 'differ: public.b 3 -> 4, public.c missing' });
    expect(sums).toMatchObject({ outcome: 'failed', detail: 'content differs in public.a' });
    expect(overall([counts!, sums!])).toBe('failed');
    expect(overall(tableChecks([t('a', 2, '10')], [t('a', 2, '10')]))).toBe('passed');
    expect(overall([])).toBe('failed');
  });
});

describe('source URLs', () => {
  it('parses, redacts and round-trips through encryption', () => {
    const p = parseSourceUrl('postgres://app:p%40ss@db.internal:6432/orders');
    expect(p).toEqual({ host: 'db.internal', port: 6432, user: 'app', password: 'p@ss', database: 'orders' });
    expect(redactSourceUrl(p as Exclude<typeof p, string>)).toBe('postgres://app:***@db.internal:6432/orders');
    const sealed = sealSecret('postgres://app:p%40ss@db/orders', 'k'.repeat(32), SOURCE_URL_SECRET_CONTEXT);
    expect(sealed).not.toContain('p%40ss');
    expect(openSecret(sealed, 'k'.repeat(32), SOURCE_URL_SECRET_CONTEXT)).toBe('postgres://app:p%40ss@db/orders');
    expect(() => openSecret(sealed, 'x'.repeat(32), SOURCE_URL_SECRET_CONTEXT)).toThrow();
    expect(parseSourceUrl('not a url')).toBe('sourceUrl is not a valid URL');
  });
});

describe('continuity document', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const entry = {
    name: 'orders',
    database: 'orders',
    source: 'postgres://app:***@db:5432/orders',
    schedule: '0 3 * * *',
    drillSchedule: null,
    repositoryPath: '/backups',
    retentionCount: 1,
    enabled: true,
    rpo: rpoState(3600, undefined, new Date('2026-05-01T00:00:00Z'), now),
    rto: rtoState(600, undefined),
  };

  it('lists the gaps of an unproven policy', () => {
    const gaps = gapsOf(entry, now);
    expect(gaps).toEqual(
      expect.arrayContaining([
        'No backup has ever been proven by a restore.',
        'RTO has never been measured.',
        'No DR drill is scheduled.',
        'Retention keeps a single backup: a bad backup leaves nothing to fall back to.',
      ]),
    );
    expect(gaps.some((g) => g.startsWith('RPO target 60.0 min is breached'))).toBe(true);
  });

  const proof = { restoreKind: 'drill' as const, provenAt: new Date('2026-05-31T04:00:09Z'), backupStartedAt: new Date('2026-05-31T03:00:00Z'), snapshotAt: new Date('2026-05-31T03:00:01Z') };

  it('names the last proven backup and the restore that proved it', () => {
    const proven = { ...entry, lastProven: proof };
    expect(gapsOf(proven, now).join('\n')).not.toMatch(/proven/);
    const doc = continuityDocument('acme', [proven], now);
    expect(doc).toContain('## Last proven backup');
    expect(doc).toContain('- **orders**: the backup of 2026-05-31T03:00:01.000Z was proven by a DR drill that passed on 2026-05-31T04:00:09.000Z.');
    expect(doc).not.toContain('No backup has ever been proven');
  });

  it('says a backup was proven once, and what became of it, when none stands proven now', () => {
    const lapsed = { ...entry, lastPassedRestore: { ...proof, restoreKind: 'verification' as const, backupStatus: 'completed', backupVerification: 'failed' } };
    const gaps = gapsOf(lapsed, now);
    expect(gaps).toContain(
      'No backup stands proven by a restore now: the backup of 2026-05-31T03:00:01.000Z passed a verification restore on 2026-05-31T04:00:09.000Z, but a later verification of it failed.',
    );
    expect(gaps).not.toContain('No backup has ever been proven by a restore.');
    expect(continuityDocument('acme', [lapsed], now)).not.toContain('ever been proven');
  });

  it('says none has ever been proven only when no restore ever passed', () => {
    expect(continuityDocument('acme', [entry], now)).toContain('- **orders**: no backup has ever been proven by a restore.');
  });

  it('says so when nothing is covered', () => {
    expect(continuityDocument('acme', [], now)).toContain('No database is covered by a backup policy');
    expect(continuityDocument('acme', [entry], now)).toContain('| orders | 60.0 min | 31.0 d | 10.0 min | not measured | **breached** |');
  });
});

describe('policy input', () => {
  it('keeps repositories under the allowed roots', () => {
    expect(checkPolicyInput({ repositoryPath: '/srv/backups/orders' }, ['/srv/backups']).problems).toEqual([]);
    expect(checkPolicyInput({ repositoryPath: '/srv/backupsX' }, ['/srv/backups']).problems).toEqual(['repositoryPath must lie under one of: /srv/backups']);
    expect(checkPolicyInput({ repositoryPath: '/srv/../etc' }, []).problems).toEqual(['repositoryPath must not contain ".." segments']);
  });
});
