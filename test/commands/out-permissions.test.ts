import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './support.js';

// The committed --out folder has the permissions of any folder the user creates (the umask's), not
// the private 0700 of a temporary folder: results written on a shared machine stay readable.
const root = mkdtempSync(join(tmpdir(), 'quantrl-perm-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('--out permissions', () => {
  it('lob simulate: --out has the mode of a folder made with mkdir', async () => {
    const reference = join(root, 'reference');
    mkdirSync(reference);
    const out = join(root, 'out');
    const run = await cli([
      'lob',
      'simulate',
      '--regime',
      'const',
      '--episodes',
      '10',
      '--workers',
      '1',
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(statSync(reference).mode & 0o777);
  });
});
