/** Identities of sweep runs: canonical JSON (keys sorted at every depth) and its SHA-256. */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted recursively; numbers as JSON.stringify writes them (shortest round-trip). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v === 'object' && v !== null)
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`canonicalJson: non-finite number ${v}`);
  return v;
}

/** First 16 hex digits (64 bits) of SHA-256: ids for files, jobs and stream families. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
