// First start: when the console has no user, create an admin with a random password and write
// that password to a file only its owner can read (never to the log).
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile, chmod } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { countUsers, insertUser, upsertMembership } from '../db/users.js';
import { withTransaction } from '@vigil/service-kit';
import { generatePassword, hashPassword } from '../domain/passwords.js';

export interface BootstrapResult {
  created: boolean;
  email: string;
  passwordFile: string;
}

export async function bootstrapAdmin(pool: pg.Pool, o: { email: string; tenant: string; passwordFile: string }): Promise<BootstrapResult> {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  const created = await withTransaction(pool, async (tx) => {
    // Concurrent first boots of several instances: one creates the admin.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('vigil-console:bootstrap-admin'))`);
    if ((await countUsers(tx)) > 0) return false;
    const id = randomUUID();
    await insertUser(tx, { id, email: o.email, name: 'Administrator', passwordHash, mustChangePassword: true });
    await upsertMembership(tx, id, o.tenant, 'admin');
    // The file is written before commit: a crash between the two leaves a file for a user that
    // does not exist (harmless; the next boot rewrites it), never a user nobody can sign in as.
    await mkdir(path.dirname(o.passwordFile), { recursive: true, mode: 0o700 });
    await writeFile(o.passwordFile, `${password}\n`, { mode: 0o600 });
    await chmod(o.passwordFile, 0o600);
    return true;
  });
  return { created, email: o.email, passwordFile: o.passwordFile };
}
