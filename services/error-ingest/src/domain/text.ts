// PostgreSQL text and jsonb refuse NUL and lone UTF-16 surrogates; both become U+FFFD.
const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export const storableText = (s: string) => s.replace(UNSTORABLE, '\ufffd');
