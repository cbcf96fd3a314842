// Retention: keep the newest `keep` completed backups, and never the only verified one.
export interface RetainedBackup {
  id: string;
  startedAt: Date;
  verificationStatus: 'pending' | 'passed' | 'failed';
}

/** Ids of completed backups to expire, newest-first input not required. */
export function backupsToExpire(completed: RetainedBackup[], keep: number): string[] {
  const newestFirst = [...completed].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  const lastVerified = newestFirst.find((b) => b.verificationStatus === 'passed');
  return newestFirst.slice(keep).filter((b) => b.id !== lastVerified?.id).map((b) => b.id);
}
