/** The commands whose --out is checked, and the assertion every refusal shares. */
import { expect } from 'vitest';
import { cli } from './support.js';

/** Every command that writes results, at a size that would run quickly if it were not refused. */
export const COMMANDS: string[][] = [
  ['lq', '--seeds', '2', '--iterations', '100', '--workers', '1', '--fit-window', '10:100'],
  ['regret-study', '--seeds', '2', '--iterations', '100', '--workers', '1', '--fit-window', '10:100'],
  ['execution', 'train', '--seeds', '1', '--episodes', '10', '--eval-episodes', '0', '--workers', '1'],
  ['execution', 'all', '--seeds', '1', '--episodes', '10', '--eval-episodes', '0', '--workers', '1'],
  ['lob', 'simulate', '--regime', 'const', '--episodes', '10', '--workers', '1'],
  ['lob', 'compare', '--regime', 'const', '--episodes', '10', '--workers', '1'],
  ['qknn', 'train', '--D', '10', '--T', '0.1', '--N', '3', '--workers', '1'],
];

/** Exit 2 and one line naming --out (never a hang, never a raw errno dump on its own). */
export async function refusesOut(args: string[], out: string, reason: RegExp): Promise<void> {
  const run = await cli([...args, '--out', out]);
  expect(run.code).toBe(2);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toMatch(/^quantrl: --out: /);
  expect(run.errors[0]).toMatch(reason);
}
