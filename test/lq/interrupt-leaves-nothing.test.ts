import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Ctrl-C during a run: exit code 130, and the output folder is left as it was (here: not created),
// neither partial files nor the complete files of the algorithm that had already finished.
const root = mkdtempSync(join(tmpdir(), 'quantrl-int-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('SIGINT during regret-study', () => {
  it('exits 130 and leaves no files', async () => {
    const out = join(root, 'out');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli.ts',
        'regret-study',
        '--seeds',
        '4',
        '--iterations',
        '200000',
        '--workers',
        '1',
        '--out',
        out,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // interrupt once the run has staged something (the model-free files land before the plug-in runs)
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        const stage = existsSync(out)
          ? readdirSync(out).find((f) => f.startsWith('.incomplete-'))
          : undefined;
        if (stage && readdirSync(join(out, stage)).some((f) => f.startsWith('model-based.'))) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(existsSync(out)).toBe(false);
  });
});
