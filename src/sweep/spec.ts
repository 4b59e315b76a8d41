/**
 * Sweep specs: a declarative search space over any path of a study's config, validated strictly
 * (every error names its path in the spec) and expanded into a deterministic list of runs.
 *
 * Expansion order: grid axes in the order written (first axis slowest), then each zip group as one
 * axis, then the random sample's points; run i is the i-th point of that product.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { nextWord, OUT_HI, OUT_LO, streamFromKey, unitFromWord } from '../baseline/rng.js';
import { UsageError } from '../errors.js';
import { didYouMean, unknownKeys } from '../flags.js';
import { streamKey } from '../rng/streams.js';
import { canonicalJson, contentHash } from './run-id.js';
import type { MetricSpec, StudyRegistry, SweepStudy } from './study.js';

/** Refused before anything runs: more runs than this in one spec. */
export const MAX_RUNS = 100_000;
/** Refused: more seeds per run than this. */
export const MAX_SEEDS = 100_000;
/** Refused: more (run, seed) pairs than this (the rows of runs.parquet). */
export const MAX_ROWS = 10_000_000;
/** Seeds per task unless the spec says otherwise (a task is one run's chunk of seeds). */
export const DEFAULT_CHUNK = 8;

const int = (min: number) =>
  z
    .number({ message: 'must be an integer' })
    .int({ message: 'must be an integer' })
    .min(min, { message: `must be an integer ≥ ${min}` });
const finite = z.number({ message: 'must be a number' }).finite({ message: 'must be a finite number' });
const positive = finite.positive({ message: 'must be a positive number' });
const count = int(1).max(MAX_RUNS, { message: `must be at most ${MAX_RUNS}` });

const listAxis = z.array(z.unknown()).min(1, { message: 'an axis needs at least one value' });
const axis = z.union(
  [
    listAxis,
    z.strictObject({ linspace: z.strictObject({ from: finite, to: finite, num: count }) }),
    z.strictObject({ logspace: z.strictObject({ from: positive, to: positive, num: count }) }),
    z.strictObject({
      range: z
        .strictObject({ from: int(-(2 ** 31)), to: int(-(2 ** 31)), step: int(1).default(1) })
        .refine((r) => r.to >= r.from, { message: "'to' must be ≥ 'from'" }),
    }),
  ],
  {
    message:
      'an axis is a list of values, {linspace: {from, to, num}}, {logspace: …} or {range: {from, to, step}}',
  },
);
const pair = (v: z.ZodNumber) =>
  z.tuple([v, v]).refine(([lo, hi]) => lo < hi, { message: 'must be [lo, hi] with lo < hi' });
const distribution = z.union(
  [
    z.strictObject({ uniform: pair(finite) }),
    z.strictObject({ logUniform: pair(positive) }),
    z.strictObject({ intUniform: pair(int(-(2 ** 31))) }),
    z.strictObject({ choice: listAxis }),
  ],
  {
    message:
      'a distribution is {uniform: [lo, hi]}, {logUniform: [lo, hi]}, {intUniform: [lo, hi]} or {choice: [...]}',
  },
);

export const sweepSpecSchema = z.strictObject({
  study: z.string({ message: 'must name a study' }),
  name: z.string().optional(),
  description: z.string().optional(),
  base: z.record(z.string(), z.unknown()).default({}),
  grid: z.record(z.string(), axis).default({}),
  zip: z
    .array(
      z
        .record(z.string(), listAxis)
        .refine((g) => Object.keys(g).length > 0, { message: 'a zip group needs at least one path' }),
    )
    .default([]),
  sample: z
    .strictObject({
      n: count,
      seed: int(0).default(0),
      axes: z
        .record(z.string(), distribution)
        .refine((a) => Object.keys(a).length > 0, { message: 'needs at least one axis' }),
    })
    .optional(),
  seeds: z
    .strictObject({
      count: int(1)
        .max(MAX_SEEDS, { message: `must be at most ${MAX_SEEDS}` })
        .default(1),
      first: int(0).default(1),
      chunk: int(1).optional(),
    })
    .prefault({}),
  streams: z
    .enum(['common', 'independent'], { message: "must be 'common' or 'independent'" })
    .default('common'),
  metrics: z.array(z.string()).min(1, { message: 'list at least one metric (or omit: all)' }).optional(),
});

export type SweepSpec = z.output<typeof sweepSpecSchema>;

/** A path of the spec in messages: `grid[model.D].linspace.num`, `zip[0][model.A]`. */
export function specPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    const s = String(seg);
    if (typeof seg === 'number' || /^\d+$/.test(s) || s.includes('.')) out += `[${s}]`;
    else out += out ? `.${s}` : s;
  }
  return out || '(spec)';
}

function fail(lines: readonly string[]): never {
  throw new UsageError(lines.join('\n'));
}

/** Reads a spec file (.json, .yaml or .yml); syntax errors name the file and position. */
export function readSpecFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    fail([`spec: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`]);
  }
  const ext = extname(file).toLowerCase();
  try {
    return ext === '.yaml' || ext === '.yml' ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    fail([`spec: ${file} is not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`]);
  }
}

/** One point of the sweep: the value set at each swept config path. */
export type Point = readonly (readonly [string, unknown])[];

export interface RunPlan {
  readonly index: number;
  readonly runId: string;
  /** Hash of the study and resolved config only: keys the streams in `independent` mode. */
  readonly pointId: string;
  readonly point: Point;
  readonly config: unknown;
}

export interface SweepPlan {
  readonly spec: SweepSpec;
  readonly study: SweepStudy;
  /** Swept config paths, in column order. */
  readonly params: readonly string[];
  readonly runs: readonly RunPlan[];
  readonly seeds: { readonly first: number; readonly count: number; readonly chunk: number };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Checks that a dotted path names a field of the study's config; returns a message or null. */
export function checkConfigPath(defaults: unknown, path: string): string | null {
  let node: unknown = defaults;
  const segs = path.split('.');
  for (const [i, seg] of segs.entries()) {
    const at = segs.slice(0, i).join('.');
    if (Array.isArray(node)) {
      if (!/^\d+$/.test(seg) || Number(seg) >= node.length)
        return `'${path}': ${at} is a list of ${node.length}; '${seg}' is not an index of it`;
      node = node[Number(seg)];
    } else if (isObject(node)) {
      if (!(seg in node)) {
        const hint = didYouMean(seg, Object.keys(node));
        const full = hint ? [...segs.slice(0, i), hint].join('.') : undefined;
        return `unknown config path '${path}'${full ? ` (did you mean '${full}'?)` : ''}`;
      }
      node = node[seg];
    } else return `unknown config path '${path}': ${at} is a value, not a group`;
  }
  return null;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segs = path.split('.');
  let node: Record<string, unknown> | unknown[] = target;
  for (const seg of segs.slice(0, -1)) node = (node as Record<string, unknown>)[seg] as typeof node;
  (node as Record<string, unknown>)[segs[segs.length - 1] as string] = clone(value);
}

/** Generated values to 15 significant digits: 0.1, not 0.10000000000000002 (the float noise of the formula). */
const clean = (x: number) => Number(x.toPrecision(15));

/** Values of a validated axis. */
function axisValues(a: z.output<typeof axis>): unknown[] {
  if (Array.isArray(a)) return a;
  if ('linspace' in a) {
    const { from, to, num } = a.linspace;
    return Array.from({ length: num }, (_, i) =>
      i === num - 1 && num > 1 ? to : clean(from + ((to - from) * i) / Math.max(1, num - 1)),
    );
  }
  if ('logspace' in a) {
    const { from, to, num } = a.logspace;
    const lo = Math.log(from),
      hi = Math.log(to);
    return Array.from({ length: num }, (_, i) =>
      i === 0 ? from : i === num - 1 ? to : clean(Math.exp(lo + ((hi - lo) * i) / (num - 1))),
    );
  }
  const { from, to, step } = a.range;
  return Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);
}

function axisLength(a: z.output<typeof axis>): number {
  if (Array.isArray(a)) return a.length;
  if ('linspace' in a) return a.linspace.num;
  if ('logspace' in a) return a.logspace.num;
  return Math.floor((a.range.to - a.range.from) / a.range.step) + 1;
}

/** The seeded random-search points: one stream per spec seed, drawn axis by axis, point by point. */
function samplePoints(sample: NonNullable<SweepSpec['sample']>): unknown[][] {
  const st = streamFromKey(streamKey('quantrl/sweep-sample', 0, sample.seed));
  const unit = () => {
    nextWord(st);
    return unitFromWord(st[OUT_HI] as number, st[OUT_LO] as number);
  };
  const dists = Object.values(sample.axes);
  return Array.from({ length: sample.n }, () =>
    dists.map((d) => {
      const u = unit();
      if ('uniform' in d) return d.uniform[0] + (d.uniform[1] - d.uniform[0]) * u;
      if ('logUniform' in d) {
        const [lo, hi] = d.logUniform.map(Math.log) as [number, number];
        return Math.exp(lo + (hi - lo) * u);
      }
      if ('intUniform' in d) return d.intUniform[0] + Math.floor(u * (d.intUniform[1] - d.intUniform[0] + 1));
      return d.choice[Math.floor(u * d.choice.length)];
    }),
  );
}

interface Axis {
  /** Spec path of the axis, for messages. */
  readonly where: string;
  readonly paths: readonly string[];
  /** values[i][j]: value of paths[j] at the axis's i-th position. */
  readonly values: readonly (readonly unknown[])[];
}

/** Metric names kept by the spec's patterns (`*` matches any run of characters). */
export function selectMetrics(
  all: readonly MetricSpec[],
  patterns: readonly string[] | undefined,
): MetricSpec[] {
  if (!patterns) return [...all];
  const res = patterns.map((p) => new RegExp(`^${p.split('*').map(escapeRe).join('.*')}$`));
  return all.filter((m) => res.some((r) => r.test(m.name)));
}

function escapeRe(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Validates a raw spec against the registry and expands it into runs; every problem is reported
 * at once, each line naming its path in the spec. Throws UsageError (exit 2) before anything runs.
 */
export function planSweep(raw: unknown, registry: StudyRegistry, codeVersion: string): SweepPlan {
  const parsed = sweepSpecSchema.safeParse(raw);
  if (!parsed.success) fail(parsed.error.issues.map((i) => `${specPath(i.path)}: ${i.message}`));
  const spec = parsed.data;
  const study = registry[spec.study];
  if (!study) {
    const hint = didYouMean(spec.study, Object.keys(registry));
    fail([
      `study: unknown study '${spec.study}' (known: ${Object.keys(registry).join(', ')})${hint ? `; did you mean '${hint}'?` : ''}`,
    ]);
  }

  const errors: string[] = [];
  const unknown = unknownKeys(study.schema, spec.base);
  errors.push(...unknown.map((u) => `${specPath(['base', ...u.path])}: ${u.message}`));
  const baseCheck = study.schema.safeParse(spec.base);
  if (!unknown.length && !baseCheck.success)
    errors.push(...baseCheck.error.issues.map((i) => `${specPath(['base', ...i.path])}: ${i.message}`));

  const axes: Axis[] = [];
  const seen = new Map<string, string>();
  // Paths are checked against the resolved base: a base that picks a variant of a union (the execution
  // study's env) opens that variant's fields.
  const tree = baseCheck.success ? baseCheck.data : study.defaults;
  const claim = (path: string, where: string) => {
    const msg = checkConfigPath(tree, path);
    if (msg) errors.push(`${where}: ${msg}`);
    const other = seen.get(path);
    if (other) errors.push(`${where}: '${path}' is already swept by ${other}`);
    seen.set(path, where);
  };
  for (const path of Object.keys(spec.grid)) {
    const where = specPath(['grid', path]);
    claim(path, where);
    axes.push({ where, paths: [path], values: [] });
  }
  for (const [g, group] of spec.zip.entries()) {
    const lists = Object.entries(group);
    const n = lists[0]?.[1].length ?? 0;
    for (const [path, list] of lists) {
      claim(path, specPath(['zip', g, path]));
      if (list.length !== n)
        errors.push(
          `${specPath(['zip', g, path])}: has ${list.length} values; the group's first list has ${n}`,
        );
    }
    axes.push({ where: specPath(['zip', g]), paths: lists.map(([p]) => p), values: [] });
  }
  if (spec.sample)
    for (const path of Object.keys(spec.sample.axes)) claim(path, specPath(['sample', 'axes', path]));

  // Count before expanding: a spec may describe far more runs than the machine could hold.
  const lengths = [
    ...Object.values(spec.grid).map(axisLength),
    ...spec.zip.map((g) => Object.values(g)[0]?.length ?? 1),
    spec.sample?.n ?? 1,
  ];
  const runCount = lengths.reduce((a, b) => a * b, 1);
  if (runCount > MAX_RUNS)
    errors.push(`grid: ${runCount.toExponential(3)} runs exceed the maximum of ${MAX_RUNS} runs per spec`);
  else if (runCount * spec.seeds.count > MAX_ROWS)
    errors.push(
      `seeds.count: ${runCount} runs × ${spec.seeds.count} seeds exceed the maximum of ${MAX_ROWS} (run, seed) rows`,
    );
  if (errors.length) fail(errors);

  // Fill axis values, then expand the product.
  const gridAxes = Object.values(spec.grid).map((a, i) => ({
    ...(axes[i] as Axis),
    values: axisValues(a).map((v) => [v]),
  }));
  const zipAxes = spec.zip.map((group, g) => {
    const lists = Object.values(group);
    return {
      ...(axes[gridAxes.length + g] as Axis),
      values: (lists[0] as unknown[]).map((_, i) => lists.map((l) => l[i])),
    };
  });
  const all: Axis[] = [...gridAxes, ...zipAxes];
  if (spec.sample)
    all.push({ where: 'sample', paths: Object.keys(spec.sample.axes), values: samplePoints(spec.sample) });
  const params = all.flatMap((a) => a.paths);

  const baseInput = clone(tree) as Record<string, unknown>;
  const runs: RunPlan[] = [];
  const idx = new Array<number>(all.length).fill(0);
  for (let r = 0; r < runCount; r++) {
    const input = clone(baseInput);
    const point: [string, unknown][] = [];
    const whereOf = new Map<string, string>();
    all.forEach((a, k) => {
      const values = a.values[idx[k] as number] as readonly unknown[];
      a.paths.forEach((p, j) => {
        setPath(input, p, values[j]);
        point.push([p, values[j]]);
        whereOf.set(p, `${a.where}${a.where === 'sample' ? `.axes[${p}]` : ''}`);
      });
    });
    const res = study.schema.safeParse(input);
    if (!res.success) {
      for (const i of res.error.issues) {
        const cfgPath = i.path.map(String).join('.');
        const owner = [...whereOf.keys()].find((p) => cfgPath === p || cfgPath.startsWith(`${p}.`));
        const at = owner ? whereOf.get(owner) : specPath(['base', ...i.path]);
        const value = owner ? ` at ${owner} = ${JSON.stringify(point.find(([p]) => p === owner)?.[1])}` : '';
        errors.push(`${at}: ${cfgPath}: ${i.message}${value} (run ${r})`);
      }
      if (errors.length >= 20) break;
    } else {
      const config = res.data;
      const pointId = contentHash(canonicalJson({ study: study.name, config }));
      const seeds = { first: spec.seeds.first, count: spec.seeds.count };
      const runId = contentHash(
        canonicalJson({ study: study.name, config, seeds, streams: spec.streams, code: codeVersion }),
      );
      runs.push({ index: r, runId, pointId, point, config });
    }
    for (let k = all.length - 1; k >= 0; k--) {
      idx[k] = (idx[k] as number) + 1;
      if ((idx[k] as number) < (all[k] as Axis).values.length) break;
      idx[k] = 0;
    }
  }
  if (errors.length) fail(errors);

  if (spec.metrics && runs[0]) {
    const available = study.metrics(runs[0].config);
    for (const [i, p] of spec.metrics.entries())
      if (!selectMetrics(available, [p]).length)
        errors.push(
          `${specPath(['metrics', i])}: '${p}' matches no metric of study ${study.name} (e.g. ${available
            .slice(0, 6)
            .map((m) => m.name)
            .join(', ')}, …)`,
        );
  }
  const ids = new Map<string, number>();
  for (const run of runs) {
    const twin = ids.get(run.runId);
    if (twin !== undefined) errors.push(`grid: runs ${twin} and ${run.index} resolve to the same config`);
    ids.set(run.runId, run.index);
  }
  if (errors.length) fail(errors);
  const chunk = spec.seeds.chunk ?? Math.min(DEFAULT_CHUNK, spec.seeds.count);
  return { spec, study, params, runs, seeds: { first: spec.seeds.first, count: spec.seeds.count, chunk } };
}

/** The runs of shard i of n: indices ≡ i (mod n), a partition stable under any worker count. */
export function shardRuns<R extends { readonly index: number }>(runs: readonly R[], shard: Shard): R[] {
  return runs.filter((r) => r.index % shard.of === shard.index);
}

export interface Shard {
  readonly index: number;
  readonly of: number;
}

/** `--shard i/N` with 0 ≤ i < N. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]),
    of = Number(m?.[2]);
  if (!m || of < 1 || index >= of || of > 100_000)
    throw new UsageError(`--shard: must be 'i/N' with 0 ≤ i < N ≤ 100000, got '${text}'`);
  return { index, of };
}

/** Seed chunks of a run: [first, count] pairs covering the plan's seeds in order. */
export function seedChunks(plan: Pick<SweepPlan, 'seeds'>): [number, number][] {
  const { first, count, chunk } = plan.seeds;
  const out: [number, number][] = [];
  for (let s = 0; s < count; s += chunk) out.push([first + s, Math.min(chunk, count - s)]);
  return out;
}

/** The stream key of one seed of a run. */
export function seedKey(plan: SweepPlan, run: RunPlan, seed: number): bigint {
  const experiment = plan.study.experiment(run.config);
  return plan.spec.streams === 'common'
    ? streamKey(experiment, 0, seed)
    : streamKey(`${experiment}/${run.pointId}`, 0, seed);
}
