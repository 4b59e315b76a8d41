import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The import graph of src/ (parsed from the import and export statements) must have no cycle, every
// import must point down the layer order below, and no study may import another study. The layers
// restate the architecture of the developers' guide: CLI → commands → composition roots (the workers'
// dispatch table, the sweep's study registry) → study drivers → the sweep engine → runner → kernels and
// twins → study definitions (configs, models, layouts) → leaves.
const SRC = resolve(import.meta.dirname, '../../src');

const LAYERS: readonly [string, RegExp][] = [
  [
    'leaf',
    /^(errors|paths|machine|stats|flags|checks)\.ts$|^(rng|store)\/|^kernels\/engine\.ts$|^env\/policy-module\.ts$/,
  ],
  ['report', /^report\//],
  [
    'definitions',
    /^lq\/(model|schedules|config)\.ts$|^execution\/(config|env|schedules)\.ts$|^lob\/(layout|model|intensities|blocks)\.ts$|^qknn\/(config|features|quantizer|knn-tree|knn-split)\.ts$/,
  ],
  ['kernels', /^(kernels|baseline)\//],
  ['runner', /^runner\//],
  ['sweep engine', /^sweep\//],
  // qknn/ is the solver half of the order-book study (same model, its harness plays the learned policy)
  ['study', /^(lq|execution|lob|qknn)\//],
  ['composition root', /^(tasks|studies)\.ts$|^env\/vector\.ts$/],
  ['commands', /^commands\/|^index\.ts$/],
  ['cli', /^cli\.ts$/],
];
const STUDIES = /^(lq|execution|lob)\//;

function layerOf(file: string): number {
  const i = LAYERS.findIndex(([, re]) => re.test(file));
  if (i < 0) throw new Error(`${file} has no layer: add it to LAYERS`);
  return i;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return sources(p);
    return d.name.endsWith('.ts') ? [relative(SRC, p)] : [];
  });
}

/** Local imports of a file, as paths relative to src/ (imports leaving src/ are ignored). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'|^\s*import\s+'([^']+)'/gms),
  ];
  return specs
    .map((m) => (m[1] ?? m[2]) as string)
    .filter((s) => s.startsWith('.'))
    .map((s) => relative(SRC, resolve(SRC, dirname(file), s)).replace(/\.js$/, '.ts'))
    .filter((p) => !p.startsWith('..'));
}

const files = sources(SRC).sort();
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('the import graph of src/', () => {
  it('is parsed from every file (sanity: the composition root imports the studies)', () => {
    expect(graph.get('tasks.ts')).toEqual(
      expect.arrayContaining(['execution/tasks.ts', 'lob/tasks.ts', 'lq/tasks.ts', 'runner/task.ts']),
    );
  });

  it('resolves every local import to a file', () => {
    const missing = [...graph].flatMap(([f, deps]) =>
      deps.filter((d) => !graph.has(d)).map((d) => `${f} → ${d}`),
    );
    expect(missing).toEqual([]);
  });

  it('has no upward import and no import between studies', () => {
    const bad: string[] = [];
    for (const [f, deps] of graph)
      for (const d of deps) {
        const [lf, ld] = [layerOf(f), layerOf(d)];
        if (ld > lf) bad.push(`${f} (${LAYERS[lf]?.[0]}) → ${d} (${LAYERS[ld]?.[0]})`);
        const [sf, sd] = [f.match(STUDIES)?.[1], d.match(STUDIES)?.[1]];
        if (sf && sd && sf !== sd) bad.push(`${f} → ${d} (another study)`);
      }
    expect(bad).toEqual([]);
  });

  it('has no cycle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const d of graph.get(f) ?? []) visit(d, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
