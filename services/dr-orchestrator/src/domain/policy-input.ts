// Validation of policy input beyond what the route schema can say (URL, cron, paths).
import path from 'node:path';
import type { PhysicalInput, PolicyKind } from './physical-policy.js';
import { cronProblem } from './schedule.js';
import { parseSourceUrl, type SourceParts } from './source-url.js';

export interface PolicyInput {
  name?: string;
  sourceUrl?: string;
  schedule?: string;
  jobs?: number;
  repositoryPath?: string;
  retentionCount?: number;
  rpoTargetSeconds?: number;
  rtoTargetSeconds?: number;
  drillSchedule?: string | null;
  enabled?: boolean;
  kind?: PolicyKind;
  physical?: PhysicalInput;
}

/** Returns the problems (empty = valid) and the parsed source when one was given. */
export function checkPolicyInput(input: PolicyInput, allowedRoots: string[] = []): { problems: string[]; source?: SourceParts } {
  const problems: string[] = [];
  let source: SourceParts | undefined;
  if (input.sourceUrl !== undefined) {
    const parsed = parseSourceUrl(input.sourceUrl);
    if (typeof parsed === 'string') problems.push(parsed);
    else source = parsed;
  }
  if (input.schedule !== undefined) {
    const p = cronProblem(input.schedule);
    if (p) problems.push(`schedule: ${p}`);
  }
  if (input.drillSchedule) {
    const p = cronProblem(input.drillSchedule);
    if (p) problems.push(`drillSchedule: ${p}`);
  }
  if (input.repositoryPath !== undefined) {
    if (!path.isAbsolute(input.repositoryPath)) problems.push('repositoryPath must be an absolute path');
    else if (input.repositoryPath.split(/[\\/]/).includes('..')) problems.push('repositoryPath must not contain ".." segments');
    else if (path.resolve(input.repositoryPath) === '/') problems.push('repositoryPath must not be the filesystem root');
    else if (allowedRoots.length && !allowedRoots.some((r) => isUnder(input.repositoryPath!, r)))
      problems.push(`repositoryPath must lie under one of: ${allowedRoots.join(', ')}`);
  }
  return { problems, source };
}

function isUnder(p: string, root: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(p));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
