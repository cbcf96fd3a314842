// Grouping: the first rule that applies wins — the event's own fingerprint (with
// `{{ default }}`), in-app frames, exception type and value, message template.
import { createHash } from 'node:crypto';
import { parameterise } from './parameterise.js';

export interface Frame {
  filename?: string | null;
  abs_path?: string | null;
  module?: string | null;
  function?: string | null;
  in_app?: boolean | null;
}

export interface ExceptionValue {
  type?: string | null;
  value?: string | null;
  stacktrace?: { frames?: Frame[] } | null;
}

export interface GroupingInput {
  fingerprint?: string[];
  exceptions: ExceptionValue[];
  frames: Frame[];
  message?: string;
}

export type GroupingRule = 'custom' | 'frames' | 'exception' | 'message' | 'fallback';

const DEFAULT_MARKER = /^\{\{\s*default\s*\}\}$/;

export function normaliseFilename(name: string): string {
  const clean = name
    .replace(/^[a-z]+:\/\/[^/]*/i, '')
    .replace(/[?#].*$/, '')
    .replace(/\\/g, '/');
  const parts = clean.split('/').filter(Boolean).slice(-3);
  return parts.map((p) => p.replace(/\b[0-9a-f]{6,}\b/gi, '<hash>').replace(/\d+/g, '<n>')).join('/');
}

const normaliseFunction = (fn: string) => fn.replace(/0x[0-9a-f]+/gi, '<addr>').replace(/\[as [^\]]+\]/, '').trim();

function frameComponent(f: Frame): string {
  const where = f.module || normaliseFilename(f.filename || f.abs_path || '?');
  return `${where}:${normaliseFunction(f.function || '?')}`;
}

function defaultGrouping(g: GroupingInput): { rule: GroupingRule; components: string[] } {
  const inApp = g.frames.filter((f) => f.in_app === true);
  const mainType = g.exceptions.at(-1)?.type ?? '';
  if (inApp.length) return { rule: 'frames', components: [mainType, ...inApp.map(frameComponent)] };
  const typed = g.exceptions.filter((e) => e.type || e.value);
  if (typed.length) return { rule: 'exception', components: typed.map((e) => `${e.type ?? ''}:${parameterise(e.value ?? '')}`) };
  if (g.message) return { rule: 'message', components: [parameterise(g.message)] };
  return { rule: 'fallback', components: ['<no grouping information>'] };
}

export function groupingOf(g: GroupingInput): { rule: GroupingRule; hash: string } {
  const def = defaultGrouping(g);
  let rule = def.rule;
  let components = def.components;
  if (g.fingerprint?.length) {
    rule = 'custom';
    components = g.fingerprint.flatMap((part) => (DEFAULT_MARKER.test(part) ? def.components : [`custom:${part}`]));
  }
  const hash = createHash('sha256').update(`${rule === 'custom' ? 'custom' : def.rule}\n${components.join('\n')}`).digest('hex').slice(0, 32);
  return { rule, hash };
}
