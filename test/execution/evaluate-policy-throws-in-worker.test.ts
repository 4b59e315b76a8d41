// `quantrl execution evaluate --policy`: a module that passes the first-observation check in the main
// thread but throws inside a pool worker still exits 2 with a message naming the file and the throw.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { cli } from '../commands/support.js';

const dir = mkdtempSync(join(tmpdir(), 'quantrl-exec-eval-throws-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a module throwing only inside a worker exits 2 naming the file', async () => {
  const file = join(dir, 'worker-throws.mjs');
  // Throws only off the main thread: the failure can come from nowhere but a pool worker.
  writeFileSync(
    file,
    [
      "import { isMainThread } from 'node:worker_threads';",
      'export function act() {',
      "  if (!isMainThread) throw new Error('boom in a worker');",
      '  return 0;',
      '}',
      '',
    ].join('\n'),
  );
  const out = join(dir, 'out');
  const r = await cli([
    'execution',
    'evaluate',
    '--policy',
    file,
    // 100 episodes: one pool task, on one worker thread
    '--eval-episodes',
    '100',
    '--out',
    out,
  ]);
  expect(r.code).toBe(2);
  expect(r.errors.join('\n')).toContain(`--policy: ${file}: act(observation, info) threw: boom in a worker`);
  expect(existsSync(out)).toBe(false);
});
