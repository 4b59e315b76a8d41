/**
 * The published package works outside the repository: `npm pack` ships the compiled WASM, dist, the
 * README, LICENSE and docs; the tarball installs into a fresh folder, where `quantrl lq` runs and
 * `import … from 'quantrl'` resolves (with its types).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../src/lq/model.js';
import { optimalGain } from '../../src/lq/oracle.js';
import { packageRoot } from '../../src/paths.js';

const root = packageRoot();
const tmp = mkdtempSync(join(tmpdir(), 'quantrl-pack-'));
const app = join(tmp, 'app');
let packed: { filename: string; files: { path: string }[] };

const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });

beforeAll(() => {
  // dist is built here; the WASM builds are made by `npm test`'s pretest (prepack runs both for users)
  run('npx', ['tsc', '-p', 'tsconfig.build.json'], root);
  packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], root))[0];
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(tmp, packed.filename)], app);
}, 600_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm pack → install → run', () => {
  it('ships the WASM, dist with types, README, LICENSE and docs, and builds everything before packing', () => {
    const paths = packed.files.map((f) => f.path);
    for (const f of [
      'build/release.wasm',
      'dist/src/cli.js',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/runner/worker.js',
      'README.md',
      'LICENSE',
      'docs/lq-actor-critic.md',
      'docs/optimal-execution.md',
      'docs/lob.md',
      'docs/qknn.md',
    ])
      expect(paths).toContain(f);
    expect(paths.some((p) => p.startsWith('src/') || p.startsWith('test/'))).toBe(false);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.prepack).toBe('npm run build');
    expect(pkg.license).toBe('MIT');
  });

  it('runs a small `quantrl lq` from the installed package', () => {
    const out = join(app, 'lq-result');
    const cli = join(app, 'node_modules', '.bin', 'quantrl');
    const argv = ['lq', '--seeds', '2', '--iterations', '300', '--workers', '1', '--fit-window', '50:300'];
    run(cli, [...argv, '--out', out], app);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.algorithmsRun).toEqual(['model-free']);
    for (const f of ['checkpoints.parquet', 'curves.csv', 'report.md', 'mse.png'])
      expect(existsSync(join(out, f))).toBe(true);
  });

  it("imports the library API from 'quantrl', with its types", () => {
    writeFileSync(
      join(app, 'use.mjs'),
      `import { optimalGain, DEFAULT_MODEL, ExecutionEnv, trainQLearner, LQ_CHECKPOINTS } from 'quantrl';
const env = new ExecutionEnv({ variant: 'deterministic', q0: 4, horizon: 2, actions: [0, 1, 2, 3, 4] });
const first = env.reset({ seed: 1 });
const ql = await trainQLearner({ variant: 'deterministic', q0: 4, horizon: 2, actions: [0, 1, 2, 3, 4] }, { episodes: 2000 });
console.log(JSON.stringify({ phi: optimalGain(DEFAULT_MODEL), q: first.observation.q, gap: ql.score.gap, table: LQ_CHECKPOINTS.name }));
`,
    );
    const got = JSON.parse(run('node', ['use.mjs'], app));
    expect(got.phi).toBe(optimalGain(DEFAULT_MODEL));
    expect(got.q).toBe(4);
    expect(got.gap).toBeGreaterThanOrEqual(0);
    expect(got.table).toBe('checkpoints');
    const types = readFileSync(join(app, 'node_modules', 'quantrl', 'dist', 'src', 'index.d.ts'), 'utf8');
    expect(types).toContain('trainQLearner');
    expect(types).toContain('EnvInput');
  });
});
