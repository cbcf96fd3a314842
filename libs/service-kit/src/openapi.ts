// The OpenAPI document as clients should read it: a parameter or body field that has a default is
// optional to send (ajv fills it in), even though the route's TypeBox schema lists it as required
// so that handlers see it typed as present.
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Drops defaulted properties from `required`, in this schema and every schema inside it. */
function optionalDefaults(schema: unknown): void {
  if (Array.isArray(schema)) return schema.forEach(optionalDefaults);
  if (!isObject(schema)) return;
  const props = schema.properties;
  if (isObject(props) && Array.isArray(schema.required)) {
    schema.required = schema.required.filter((name) => !(isObject(props[name]) && (props[name] as Json).default !== undefined));
    if ((schema.required as unknown[]).length === 0) delete schema.required;
  }
  for (const value of Object.values(schema)) optionalDefaults(value);
}

export function openApiTrueToCode<D>(doc: D): D {
  const paths = (doc as { paths?: Record<string, Record<string, Json>> }).paths ?? {};
  for (const operations of Object.values(paths)) {
    for (const op of Object.values(operations)) {
      if (!isObject(op)) continue;
      for (const p of (op.parameters as Json[] | undefined) ?? []) {
        if (isObject(p.schema) && p.schema.default !== undefined && p.in !== 'path') p.required = false;
      }
      optionalDefaults(op.requestBody);
    }
  }
  return doc;
}
