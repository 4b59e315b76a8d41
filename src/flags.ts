/**
 * The one flags module: how every command reads numbers, reports validation errors and loads JSON
 * configs. Commands validate everything here before a session opens, so bad input exits 2 with a
 * message naming the flag (or the config path) and nothing is written.
 *
 * Number grammar (every numeric flag and `numberText`): plain decimal, optionally signed, with an
 * optional fraction and exponent — `12`, `-0.5`, `.25`, `2e5`, `1.5E-3`. Refused: the empty string,
 * whitespace, hex/octal/binary (`0x3e8`), `Infinity`/`NaN`, and anything that overflows to ±∞
 * (`1e999`). Integer flags accept the exponent form when the value is integral (`--iterations 2e5`).
 *
 * API
 * - `parseDecimal(text)` → number | undefined: the grammar above.
 * - `numberFlag`, `intFlag({min, max})`, `positiveIntFlag(max)`, `nonNegativeIntFlag(max)`,
 *   `workersFlag`, `intListFlag({min, max})`: zod schemas for CLI strings (numbers pass through).
 * - `parseFlags(schema, raw, names)`: safeParse + UsageError with one `--flag: message` line per issue;
 *   `names` maps a schema key to its flag (`firstSeed` → `--first-seed`).
 * - `formatIssues(issues, prefix)`: zod issues → `prefix.path: message` lines (unknown keys named, with a
 *   "did you mean" when a known key is close).
 * - `readJsonConfig(flag, source, kind)`: a JSON object from inline text or a file; `null`, arrays and
 *   scalars are refused (`--env null` is an error, not the default).
 * - `parseConfig(schema, value, flag)`: validates a config object and refuses keys the schema does not
 *   know, at any depth, even when the schema itself is not strict.
 * - `unknownKeys(schema, value)`: the unknown-key walk on its own (for parsers that keep their own
 *   error wording).
 * - `withFlags(config, flags)`: the precedence rule — a flag given on the command line overrides the
 *   same setting in a JSON config; a flag left unset leaves the config's value. Record the result (what
 *   ran) in summary.json, not the inputs.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from './errors.js';

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A finite number written in the decimal grammar, or undefined. */
export function parseDecimal(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

/** CLI strings → number by the grammar (NaN when refused, so zod reports the flag); numbers pass. */
function decimalInput(v: unknown): unknown {
  if (typeof v === 'string') return parseDecimal(v) ?? Number.NaN;
  return v;
}

/** Any finite decimal number. */
export const numberFlag = z.preprocess(
  decimalInput,
  z.number({ message: 'must be a finite decimal number' }).finite({ message: 'must be finite' }),
);

/** An integer in [min, max] (message names the range). */
export function intFlag({ min, max }: { min: number; max: number }) {
  const what =
    min === 1 ? 'a positive integer' : min === 0 ? 'a non-negative integer' : `an integer ≥ ${min}`;
  return z.preprocess(
    decimalInput,
    z
      .number({ message: `must be ${what}` })
      .int({ message: `must be ${what}` })
      .min(min, { message: `must be ${what}` })
      .max(max, { message: `must be at most ${max}` }),
  );
}

/** A positive integer, at most `max`. */
export const positiveIntFlag = (max: number) => intFlag({ min: 1, max });
/** A non-negative integer, at most `max`. */
export const nonNegativeIntFlag = (max: number) => intFlag({ min: 0, max });

/** Most worker threads any command starts (pools open min(workers, jobs) of them). */
export const MAX_WORKERS = 256;

/** `--workers`: 'auto' (one per core) or a positive thread count. */
export const workersFlag = z.union([z.literal('auto'), positiveIntFlag(MAX_WORKERS)], {
  message: `must be 'auto' or a positive integer ≤ ${MAX_WORKERS}`,
});

/** A comma-separated list of integers in [min, max] (`100,1000,1e4`). */
export function intListFlag({ min, max }: { min: number; max: number }) {
  const one = intFlag({ min, max });
  return z.string().transform((s, ctx) => {
    const out: number[] = [];
    for (const part of s.split(',')) {
      const r = one.safeParse(part);
      if (!r.success) {
        ctx.addIssue({
          code: 'custom',
          message: `'${part}' ${r.error.issues[0]?.message ?? 'is invalid'} (a comma-separated list of integers in [${min}, ${max}])`,
        });
        return z.NEVER;
      }
      out.push(r.data);
    }
    return out;
  });
}

// ---------------------------------------------------------------- issues → messages

/** Renders a path under a prefix: `--env` + [noise, probs, 1] → `--env.noise.probs.1`. */
function pathText(prefix: string, path: readonly PropertyKey[]): string {
  return [prefix, ...path.map(String)].filter((s) => s !== '').join('.');
}

/** Edit distance with adjacent transpositions (optimal string alignment), case-insensitive. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d = Array.from({ length: x.length + 1 }, (_, i) =>
    Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= x.length; i++)
    for (let j = 1; j <= y.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  return (d[x.length] as number[])[y.length] as number;
}

/** The known key closest to `key`, when close enough to be a typo (1 edit for short keys, else 2). */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = distance(key, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  const allowed = Math.min(key.length, best?.length ?? 0) <= 3 ? 1 : 2;
  return best !== undefined && bestD <= allowed ? best : undefined;
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const near = didYouMean(key, known);
  return `unknown key '${key}'${near ? ` (did you mean '${near}'?)` : ''}`;
}

/** zod issues → one `prefix.path: message` line each (`--env.noise.probs: must sum to 1`). */
export function formatIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): string {
  return issues
    .map((i) =>
      i.code === 'unrecognized_keys'
        ? i.keys.map((k) => `${pathText(prefix, i.path)}: unknown key '${k}'`).join('\n')
        : `${pathText(prefix, i.path) || '(value)'}: ${i.message}`,
    )
    .join('\n');
}

/** Validates CLI options; `names` maps schema keys to flags. Throws UsageError naming each bad flag. */
export function parseFlags<S extends z.ZodType>(
  schema: S,
  raw: Record<string, unknown>,
  names: Readonly<Record<string, string>>,
): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => {
    const [head, ...rest] = i.path;
    const flag = names[String(head)] ?? `--${String(head)}`;
    return formatIssues([{ ...i, path: rest }], flag);
  });
  throw new UsageError(lines.join('\n'));
}

// ---------------------------------------------------------------- JSON configs

/**
 * A JSON object from `source`: inline JSON text (`kind: 'inline'`, e.g. `--env '{"q0":20}'`) or the
 * path of a JSON file (`kind: 'file'`). Anything but an object (null, arrays, numbers, strings) is
 * refused.
 */
export function readJsonConfig(
  flag: string,
  source: string,
  kind: 'inline' | 'file',
): Record<string, unknown> {
  let text = source;
  if (kind === 'file') {
    if (!existsSync(source) || !statSync(source).isFile())
      throw new UsageError(`${flag}: '${source}' is not a readable JSON file`);
    text = readFileSync(source, 'utf8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const where = kind === 'file' ? ` in '${source}'` : '';
    throw new UsageError(`${flag}: not valid JSON${where} (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(
      `${flag}: must be a JSON object ({…}), got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`,
    );
  return value as Record<string, unknown>;
}

type Def = { type: string; [k: string]: unknown };
const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;

/** The object schemas `value` may be checked against at this level (wrappers and unions unfolded). */
function objectShapes(schema: unknown, value: unknown): Record<string, unknown>[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      return [def.shape as Record<string, unknown>];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return objectShapes(def.innerType, value);
    case 'pipe':
      return objectShapes(def.in, value);
    case 'lazy':
      return objectShapes((def.getter as () => unknown)(), value);
    case 'intersection':
      return [...objectShapes(def.left, value), ...objectShapes(def.right, value)];
    case 'union': {
      const all = (def.options as unknown[]).flatMap((o) => objectShapes(o, value));
      // a discriminated option whose literal matches the value is the one that applies
      const v = value as Record<string, unknown>;
      const matching = all.filter((shape) =>
        Object.entries(shape).some(([k, s]) => {
          const d = defOf(s);
          return d.type === 'literal' && (d.values as unknown[]).includes(v[k]);
        }),
      );
      return matching.length ? matching : all;
    }
    default:
      return [];
  }
}

/** Element schema of arrays/records/tuples, for recursing into their values. */
function elementOf(schema: unknown): unknown {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return elementOf(def.innerType);
    case 'pipe':
      return elementOf(def.in);
    case 'array':
      return def.element;
    case 'record':
      return def.valueType;
    default:
      return undefined;
  }
}

/** Keys of `value` (at any depth) that `schema` does not know, as messages with their paths. */
export function unknownKeys(
  schema: z.ZodType,
  value: unknown,
  path: readonly PropertyKey[] = [],
): { path: PropertyKey[]; message: string }[] {
  if (typeof value !== 'object' || value === null) return [];
  const found: { path: PropertyKey[]; message: string }[] = [];
  const element = elementOf(schema);
  if (Array.isArray(value) || (element && defOf(schema).type !== 'object')) {
    if (element === undefined) return [];
    for (const [k, v] of Object.entries(value))
      found.push(...unknownKeys(element as z.ZodType, v, [...path, Array.isArray(value) ? Number(k) : k]));
    return found;
  }
  const shapes = objectShapes(schema, value);
  if (shapes.length === 0) return [];
  const known = [...new Set(shapes.flatMap((s) => Object.keys(s)))];
  for (const [k, v] of Object.entries(value)) {
    const sub = shapes.find((s) => k in s)?.[k];
    if (sub === undefined) found.push({ path: [...path], message: unknownKeyMessage(k, known) });
    else found.push(...unknownKeys(sub as z.ZodType, v, [...path, k]));
  }
  return found;
}

/** Validates a JSON config under `flag`, refusing unknown keys; throws UsageError naming each path. */
export function parseConfig<S extends z.ZodType>(schema: S, value: unknown, flag: string): z.output<S> {
  const unknown = unknownKeys(schema, value);
  if (unknown.length)
    throw new UsageError(unknown.map((u) => `${pathText(flag, u.path)}: ${u.message}`).join('\n'));
  const r = schema.safeParse(value);
  if (!r.success) throw new UsageError(formatIssues(r.error.issues, flag));
  return r.data;
}

/** The precedence rule: flags that were given override the config's keys of the same name. */
export function withFlags<C extends Record<string, unknown>>(
  config: C,
  flags: { readonly [K in keyof C]?: C[K] | undefined },
): C {
  const out: Record<string, unknown> = { ...config };
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) out[k] = v;
  return out as C;
}
