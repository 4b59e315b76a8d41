/** SHA-256 over the bytes of typed arrays in order: a compact pin of a kernel run's exact output. */
import { createHash } from 'node:crypto';

export function sha256(...parts: ArrayBufferView[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
  return h.digest('hex');
}
