// Worker thread entry: checks chain pages sent by ChainHashers (src/operations/chain-hashers.ts).
import { parentPort } from 'node:worker_threads';
import { verifyChainPage } from './chain-page.mjs';

parentPort.on('message', ({ id, buffer, offset, length, wanted }) => {
  try {
    parentPort.postMessage({ id, result: verifyChainPage(new Uint8Array(buffer, offset, length), wanted) });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err?.message ?? err) });
  }
});
