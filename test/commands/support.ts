/** Runs the CLI in-process or as a process, and inspects output folders (shared by the command tests). */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import { main } from '../../src/cli.js';

export interface CliRun {
  readonly code: number;
  /** What the CLI printed on stderr (console.error), one entry per line. */
  readonly errors: string[];
}

/** `quantrl <args>` as the built CLI runs it, with stdout silenced and stderr captured. */
export async function cli(args: string[]): Promise<CliRun> {
  const errors: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const err = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
    errors.push(...a.join(' ').split('\n'));
  });
  try {
    return { code: await main(args), errors };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

/** `quantrl <args>` as its own process (from the TypeScript sources); its exit status and stderr. */
export function spawnCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

/** Small runs of every command that writes results (each still uses the pool where the command does). */
export const SMALL_RUNS: Record<string, string[]> = {
  lq: ['lq', '--seeds', '4', '--iterations', '400', '--workers', '2', '--fit-window', '10:400'],
  'regret-study': [
    'regret-study',
    '--seeds',
    '3',
    '--iterations',
    '400',
    '--workers',
    '2',
    '--fit-window',
    '10:400',
  ],
  'execution train': [
    'execution',
    'train',
    '--seeds',
    '2',
    '--episodes',
    '50',
    '--eval-episodes',
    '0',
    '--workers',
    '2',
  ],
  'execution e8': ['execution', 'e8'],
  'execution all': [
    'execution',
    'all',
    '--seeds',
    '1',
    '--episodes',
    '20',
    '--eval-episodes',
    '0',
    '--workers',
    '2',
  ],
  'lob simulate': ['lob', 'simulate', '--regime', 'const', '--episodes', '3000', '--workers', '2'],
  'lob compare': [
    'lob',
    'compare',
    '--regime',
    'const',
    '--episodes',
    '3000',
    '--policies',
    '11,random',
    '--workers',
    '2',
  ],
  'qknn train': ['qknn', 'train', '--D', '10', '--T', '0.1', '--N', '3', '--workers', '2'],
};

/** An earlier result in `dir`: what a later interrupted or refused run must leave exactly as it was. */
export function earlierResult(dir: string): Record<string, string> {
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify({ study: 'earlier', files: ['data.txt'] })}\n`);
  writeFileSync(join(dir, 'data.txt'), 'earlier data\n');
  writeFileSync(join(dir, 'sub', 'more.txt'), 'more\n');
  return snapshot(dir);
}

/** Every file under `dir` with its content. */
export function snapshot(dir: string, base = dir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) Object.assign(out, snapshot(p, base));
    else out[p.slice(base.length + 1)] = readFileSync(p, 'utf8');
  }
  return out;
}

/** Runs `fn` with QUANTRL_TEST_SIGNAL set (the session's documented test hook). */
export async function withSignalHook<T>(hook: string, fn: () => Promise<T>): Promise<T> {
  process.env.QUANTRL_TEST_SIGNAL = hook;
  try {
    return await fn();
  } finally {
    delete process.env.QUANTRL_TEST_SIGNAL;
  }
}
