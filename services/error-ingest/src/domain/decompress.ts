// Bounded request-body decompression: output past `limit` bytes is refused (413) without
// ever being held in memory, so a small decompression bomb cannot take the process down.
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { AppError } from '@vigil/service-kit';
import { encodingUnsupported, malformed, tooLarge } from '../errors.js';

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

export async function decompressBody(body: Buffer, encoding: string | undefined, limit: number): Promise<Buffer> {
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  try {
    switch (enc) {
      case '':
      case 'identity':
        return body;
      case 'gzip':
      case 'x-gzip':
        return await gunzip(body, { maxOutputLength: limit });
      case 'deflate':
        // Some clients send raw deflate although the header says zlib-wrapped deflate.
        return await inflate(body, { maxOutputLength: limit }).catch((err: NodeJS.ErrnoException) =>
          err.code === 'Z_DATA_ERROR' ? inflateRaw(body, { maxOutputLength: limit }) : Promise.reject(err),
        );
      case 'br':
        return await brotli(body, { maxOutputLength: limit });
      default:
        throw encodingUnsupported(enc);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw tooLarge('ERRORS_BODY_TOO_LARGE', `the ${enc} body inflates past ${limit} bytes`);
    throw malformed('ERRORS_BODY_ENCODING_INVALID', `the body is not valid ${enc}: ${e.message}`);
  }
}
