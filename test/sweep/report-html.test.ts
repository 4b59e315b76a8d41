/**
 * report.html opens offline in headless Chromium (network blocked), renders every chart and logs no
 * console error. `.ci/run` installs Debian's chromium; locally the test is skipped (loudly) without it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeVersion } from '../../src/machine.js';
import { STUDIES } from '../../src/studies.js';
import { collectStore } from '../../src/sweep/collect.js';
import { runLocal } from '../../src/sweep/local.js';
import { parseShard, planSweep } from '../../src/sweep/spec.js';

function chromium(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
const browser = chromium();
if (!browser && !process.env.CI)
  console.warn('\n*** SKIPPING the report.html check: no chromium on PATH (.ci/run installs it) ***\n');

const root = mkdtempSync(join(tmpdir(), 'quantrl-sweep-html-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('report.html', () => {
  it('has a browser in CI', () => {
    expect(Boolean(browser) || !process.env.CI).toBe(true);
  });

  it.skipIf(!browser)(
    'loads offline, renders every chart, logs no console error',
    async () => {
      const spec = {
        study: 'lq',
        base: { iterations: 300, fitWindow: { from: 10, to: 300 } },
        grid: { 'modelFree.explorePower': [0.25, 0.5] },
        seeds: { count: 3 },
      };
      const out = join(root, 'store');
      await runLocal(planSweep(spec, STUDIES, codeVersion()), {
        out,
        workers: 1,
        shard: parseShard('0/1'),
        code: codeVersion(),
      });
      await collectStore(out, STUDIES);
      const file = join(out, 'report.html');
      const html = readFileSync(file, 'utf8');
      expect(html).not.toMatch(/<script [^>]*src=|<link /i); // every script inlined, no stylesheet links
      const sections = (html.match(/<section>/g) ?? []).length;
      expect(sections).toBe(4); // 4 headline metrics × 1 swept parameter
      const run = spawnSync(
        browser as string,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--host-resolver-rules=MAP * ~NOTFOUND',
          '--virtual-time-budget=10000',
          '--enable-logging=stderr',
          '--v=0',
          '--dump-dom',
          `file://${file}`,
        ],
        { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 2 ** 20 },
      );
      expect(run.status).toBe(0);
      const rendered = (run.stdout.match(/<svg [^>]*class="marks"/g) ?? []).length;
      expect(rendered).toBe(sections);
      expect(run.stderr).not.toMatch(/CONSOLE|Uncaught/);
    },
    120_000,
  );
});
