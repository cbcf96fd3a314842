// ajv's validation errors as one sentence a person can act on: which field, where (body,
// querystring, params, headers), and what is allowed. ajv runs with `verbose` so that each error
// carries the schema it failed against (the allowed field names, the allowed values).

export interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
  schema?: unknown;
  parentSchema?: Record<string, unknown>;
}

const quote = (name: string) => `\`${name}\``;
const value = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** `/steps/0/receiver` → `steps[0].receiver`; '' → undefined (the whole part). */
function fieldOf(instancePath: string): string | undefined {
  if (!instancePath) return undefined;
  return instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
}

const join = (parent: string | undefined, child: string) => (parent ? `${parent}.${child}` : child);

/** The allowed constants of an anyOf/oneOf whose branches are all `const` or `enum` (a TypeBox union of literals). */
function constants(branches: unknown): unknown[] | undefined {
  if (!Array.isArray(branches) || branches.length === 0) return undefined;
  const out: unknown[] = [];
  for (const b of branches as Record<string, unknown>[]) {
    if (b && 'const' in b) out.push(b.const);
    else if (b && Array.isArray(b.enum)) out.push(...(b.enum as unknown[]));
    else return undefined;
  }
  return out;
}

function sentence(e: AjvError, where: string): string {
  const field = fieldOf(e.instancePath);
  const at = (name: string | undefined) => (name ? `${quote(name)} in ${where}` : where);
  switch (e.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys((e.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
      const name = join(field, String(e.params.additionalProperty));
      return `unknown field ${quote(name)} in ${where}${allowed.length ? `; allowed: ${allowed.join(', ')}` : '; no fields are allowed here'}`;
    }
    case 'required':
      return `missing field ${quote(join(field, String(e.params.missingProperty)))} in ${where}`;
    case 'anyOf':
    case 'oneOf': {
      const allowed = constants(e.schema);
      return allowed ? `${at(field)} must be one of: ${allowed.map(value).join(', ')}` : `${at(field)} does not match any of the allowed shapes`;
    }
    case 'enum':
      return `${at(field)} must be one of: ${((e.params.allowedValues as unknown[]) ?? []).map(value).join(', ')}`;
    case 'const':
      return `${at(field)} must be ${value(e.params.allowedValue)}`;
    case 'type':
      return `${at(field)} must be ${String(e.params.type).replace(/,/g, ' or ')}`;
    case 'maximum':
      return `${at(field)} must be ≤ ${value(e.params.limit)}`;
    case 'minimum':
      return `${at(field)} must be ≥ ${value(e.params.limit)}`;
    case 'exclusiveMaximum':
      return `${at(field)} must be < ${value(e.params.limit)}`;
    case 'exclusiveMinimum':
      return `${at(field)} must be > ${value(e.params.limit)}`;
    case 'maxLength':
      return `${at(field)} must be at most ${value(e.params.limit)} characters`;
    case 'minLength':
      return Number(e.params.limit) === 1 ? `${at(field)} must not be empty` : `${at(field)} must be at least ${value(e.params.limit)} characters`;
    case 'maxItems':
      return `${at(field)} must have at most ${value(e.params.limit)} items`;
    case 'minItems':
      return `${at(field)} must have at least ${value(e.params.limit)} item${Number(e.params.limit) === 1 ? '' : 's'}`;
    case 'maxProperties':
      return `${at(field)} must have at most ${value(e.params.limit)} fields`;
    case 'minProperties':
      return `${at(field)} must have at least ${value(e.params.limit)} field${Number(e.params.limit) === 1 ? '' : 's'}`;
    case 'pattern':
      return `${at(field)} must match ${String(e.params.pattern)}`;
    case 'format':
      return `${at(field)} must be a valid ${String(e.params.format)}`;
    case 'propertyNames':
      return `${at(field)} has a field name that is not allowed (${quote(String(e.params.propertyName))})`;
    default:
      return `${at(field)} ${e.message ?? 'is invalid'}`;
  }
}

/**
 * One detail for all of a request's validation errors. The per-branch errors under a union of
 * constants are folded into the union's own error (the allowed values listed once), and a repeated
 * sentence is given once.
 */
export function validationDetail(errors: readonly AjvError[], context: string | undefined): string {
  const where = context ?? 'request';
  const unions = errors.filter((e) => (e.keyword === 'anyOf' || e.keyword === 'oneOf') && constants(e.schema));
  const folded = errors.filter((e) => !unions.some((u) => u !== e && e.instancePath === u.instancePath && e.schemaPath.startsWith(`${u.schemaPath.replace(/\/(anyOf|oneOf)$/, '')}/${u.keyword}/`)));
  return [...new Set(folded.map((e) => sentence(e, where)))].join('; ');
}
