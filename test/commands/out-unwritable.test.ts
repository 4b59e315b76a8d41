import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS, refusesOut } from './out-refusals.js';

// --out in a folder nobody may write, root included: an immutable folder (chattr +i), or where that
// is not available, a folder without write permission when not running as root. Exit 2 naming --out,
// never a raw errno on its own.
const root = mkdtempSync(join(tmpdir(), 'quantrl-out-ro-'));
const locked = join(root, 'locked');
mkdirSync(locked);

function lock(): boolean {
  try {
    execFileSync('chattr', ['+i', locked], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.getuid?.() === 0) return false;
    execFileSync('chmod', ['a-w', locked]);
    return true;
  }
}
const isLocked = lock();
afterAll(() => {
  try {
    execFileSync('chattr', ['-i', locked], { stdio: 'ignore' });
  } catch {
    execFileSync('chmod', ['u+w', locked]);
  }
  rmSync(root, { recursive: true, force: true });
});

describe.runIf(isLocked)('--out in an unwritable folder', () => {
  it.each(COMMANDS.map((c) => [c.slice(0, 2).join(' '), c]))('%s', async (_, args) => {
    await refusesOut(args as string[], join(locked, 'out'), /cannot write in '.*locked' \((EPERM|EACCES)\)/);
    await refusesOut(
      args as string[],
      join(locked, 'a', 'out'),
      /cannot create '.*locked\/a' \((EPERM|EACCES)\)/,
    );
    expect(readdirSync(locked)).toEqual([]);
  });
});
