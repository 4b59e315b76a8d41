/** Helpers for the sweep tests that drive real processes (the CLI, redis-server). */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { readSpecFile } from '../../src/sweep/spec.js';

/** Starts `quantrl <args>` from source in its own process (its PID is the CLI's). */
export function spawnCli(args: readonly string[]): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (d) => {
    text += String(d);
  });
  child.stderr?.on('data', (d) => {
    text += String(d);
  });
  return Object.assign(child, { output: () => text });
}

/** Resolves with the exit code (or the signal's name) once the process has exited. */
export function exited(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
}

/** Polls `check` every 20 ms until it is true (or throws after `ms`). */
export async function until(
  check: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/**
 * A shipped example sweep (examples/sweeps/NAME.json or .yaml) at test size: the same study, streams
 * and grid axes (each list cut to its first two values), with `base` overrides (deep-merged) and the
 * given seeds.
 */
export function exampleAtTestSize(
  name: string,
  base: Record<string, unknown>,
  seeds: { count: number; chunk: number },
): Record<string, unknown> {
  const dir = join('examples', 'sweeps');
  const file = [`${name}.json`, `${name}.yaml`].map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!file) throw new Error(`no example sweep ${name} in ${dir}`);
  const spec = readSpecFile(file) as Record<string, unknown>;
  const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) {
      const cur = out[k];
      const nested = (x: unknown): x is Record<string, unknown> =>
        typeof x === 'object' && x !== null && !Array.isArray(x);
      out[k] = nested(cur) && nested(v) ? merge(cur, v) : v;
    }
    return out;
  };
  const grid = Object.fromEntries(
    Object.entries((spec.grid ?? {}) as Record<string, unknown>).map(([k, v]) => [
      k,
      Array.isArray(v) ? v.slice(0, 2) : v,
    ]),
  );
  return { ...spec, base: merge((spec.base ?? {}) as Record<string, unknown>, base), grid, seeds };
}
