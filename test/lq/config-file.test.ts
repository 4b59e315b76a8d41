/** `quantrl lq --config FILE`: the study's JSON config sets the model and schedules; flags given override it. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';

const root = mkdtempSync(join(tmpdir(), 'quantrl-lq-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function quiet(args: string[]): Promise<{ code: number; errors: string }> {
  const errors: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const err = vi.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
  try {
    return { code: await main(args), errors: errors.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

describe('lq --config', () => {
  it('runs the configured model; a flag given on the command line wins over the file', async () => {
    const file = join(root, 'model.json');
    writeFileSync(
      file,
      JSON.stringify({ iterations: 300, model: { D: 1.5, A: 0.5 }, modelFree: { lrScale: 0.08 } }),
    );
    const out = join(root, 'out');
    const r = await quiet([
      'lq',
      '--config',
      file,
      '--iterations',
      '200',
      '--seeds',
      '2',
      '--workers',
      '1',
      '--paths',
      'none',
      '--fit-window',
      '10:200',
      '--out',
      out,
    ]);
    expect(r.errors).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.config.iterations).toBe(200);
    expect(summary.config.model).toMatchObject({ A: 0.5, B: 1, C: 1, D: 1.5, Q: 1, H: 1 });
    expect(summary.config.modelFree.lrScale).toBe(0.08);
    expect(summary.command).toMatch(/--config /);
  }, 60_000);

  it('refuses a config the closed forms cannot serve, naming the path, with exit 2', async () => {
    const file = join(root, 'bad.json');
    writeFileSync(file, JSON.stringify({ model: { D: 0 }, modelFree: { lrScal: 1 } }));
    const r = await quiet(['lq', '--config', file, '--out', join(root, 'never')]);
    expect(r.code).toBe(2);
    expect(r.errors).toMatch(/--config\.modelFree: unknown key 'lrScal' \(did you mean 'lrScale'\?\)/);
    writeFileSync(file, JSON.stringify({ model: { D: 0 } }));
    expect((await quiet(['lq', '--config', file, '--out', join(root, 'never')])).errors).toMatch(
      /--config\.model\.D: must be nonzero/,
    );
  });
});
