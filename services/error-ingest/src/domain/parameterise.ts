// Replaces the variable parts of a message with placeholders so that two events that
// differ only in an id, number or address group together.
const RULES: [RegExp, string][] = [
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?\b/g, '<timestamp>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/[\w.+-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}\b/gi, '<email>'],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, '<url>'],
  [/\b(\d{1,3}\.){3}\d{1,3}\b/g, '<ip>'],
  [/\b([0-9a-f]{1,4}:){2,7}[0-9a-f]{0,4}\b/gi, '<ip>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  [/-?\b\d+(\.\d+)?\b/g, '<int>'],
];

export function parameterise(text: string): string {
  let out = text.length > 4096 ? text.slice(0, 4096) : text;
  for (const [re, placeholder] of RULES) out = out.replace(re, placeholder);
  return out;
}
