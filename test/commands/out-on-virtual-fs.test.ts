import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS, refusesOut } from './out-refusals.js';

// --out under /proc or /sys: refused at once with exit 2 (it used to spin at 100 % CPU in a mkdir
// loop under /proc, and fail with a raw EPERM under /sys). Linux only.
describe.runIf(process.platform === 'linux')('--out on a virtual filesystem', () => {
  const cases = COMMANDS.flatMap((c) =>
    ['/proc/quantrl-results/out', '/sys/quantrl-results'].map((out) => [c.slice(0, 2).join(' '), out, c]),
  );
  it.each(cases)('%s → %s', async (_, out, args) => {
    await refusesOut(args as string[], out as string, /is on a virtual filesystem \((proc|sysfs)\)/);
    expect(existsSync(out as string)).toBe(false);
  });
});
