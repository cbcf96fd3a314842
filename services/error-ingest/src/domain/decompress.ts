// Bounded request-body decompression: output past `limit` bytes is refused (413) without
// ever being held in memory, so a small decompression bomb cannot take the process down.
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { encodingUnsupported, malformed, tooLarge } from '../errors.js';

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

type Decoder = (body: Buffer, limit: number) => Promise<Buffer>;

const DECODERS: Record<string, Decoder> = {
  gzip: (body, limit) => gunzip(body, { maxOutputLength: limit }),
  'x-gzip': (body, limit) => gunzip(body, { maxOutputLength: limit }),
  // Some clients send raw deflate although the header says zlib-wrapped deflate.
  deflate: (body, limit) =>
    inflate(body, { maxOutputLength: limit }).catch((err: NodeJS.ErrnoException) =>
      err.code === 'Z_DATA_ERROR' ? inflateRaw(body, { maxOutputLength: limit }) : Promise.reject(err),
    ),
  br: (body, limit) => brotli(body, { maxOutputLength: limit }),
};

export async function decompressBody(body: Buffer, encoding: string | undefined, limit: number): Promise<Buffer> {
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  if (enc === '' || enc === 'identity') return body;
  const decode = Object.hasOwn(DECODERS, enc) ? DECODERS[enc] : undefined;
  if (!decode) throw encodingUnsupported(enc);
  try {
    return await decode(body, limit);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw tooLarge('ERRORS_BODY_TOO_LARGE', `the ${enc} body inflates past ${limit} bytes`);
    throw malformed('ERRORS_BODY_ENCODING_INVALID', `the body is not valid ${enc}: ${e.message}`);
  }
}
