import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, earlierResult, snapshot, withSignalHook } from './support.js';

// A run killed with SIGKILL (or a machine crash) leaves its staging folder; the next run into the same
// --out removes the folders of owners that are gone (the PID is in the name), leaves those of live
// runs alone, and brings back an old result that a crash between the commit's two renames set aside.
const root = mkdtempSync(join(tmpdir(), 'quantrl-stale-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The PID of a process that has exited (reaped, so nothing owns it now). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
}

const LOB = ['lob', 'simulate', '--regime', 'const', '--episodes', '100', '--workers', '1'];

describe('stale staging folders', () => {
  it('removes the dead run’s staging, keeps a live one’s, and commits', async () => {
    const parent = join(root, 'a');
    mkdirSync(parent);
    const dead = join(parent, `.out.staging-${deadPid()}-abc123`);
    const live = join(parent, `.out.staging-${process.pid}-def456`);
    const other = join(parent, `.other.staging-${deadPid()}-ghi789`);
    for (const d of [dead, live, other]) {
      mkdirSync(d);
      writeFileSync(join(d, 'partial.npy'), 'x');
    }
    const run = await cli([...LOB, '--out', join(parent, 'out')]);
    expect(run.code).toBe(0);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(other)).toBe(true); // another --out's business
    // the committed folder is this run's result alone: nothing from the stale stages leaked into it
    const committed = readdirSync(join(parent, 'out'));
    expect(committed).toContain('summary.json');
    expect(committed).not.toContain('partial.npy');
  });

  it('brings back the old result a crash left aside when --out is missing', async () => {
    const parent = join(root, 'b');
    mkdirSync(parent);
    const aside = join(parent, `.out.previous-${deadPid()}-xyz123`);
    const before = earlierResult(aside);
    // the next run opens its session (the repair) and is then interrupted, so --out shows what came back
    const run = await withSignalHook('compute:SIGTERM', () => cli([...LOB, '--out', join(parent, 'out')]));
    expect(run.code).toBe(143);
    expect(readdirSync(parent)).toEqual(['out']);
    expect(snapshot(join(parent, 'out'))).toEqual(before);
  });
});
