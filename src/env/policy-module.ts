/**
 * User policies from the command line: an ES module exporting `act(observation, info) → action` and/or
 * `actBatch(observations, num, size) → actions` (a flat Float64Array of `num` rows of `size` values,
 * returning `num` actions). Loaded once per process (every pool worker imports it too), checked on a
 * first observation; anything wrong is a UsageError naming the flag and the file, so the CLI exits 2.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';

export type ActFn = (observation: unknown, info: unknown) => unknown;
export type ActBatchFn = (observations: Float64Array, num: number, size: number) => unknown;

export interface PolicyModule {
  /** As given on the command line (for messages). */
  readonly file: string;
  /** Absolute path (what workers import). */
  readonly path: string;
  readonly act?: ActFn;
  readonly actBatch?: ActBatchFn;
}

const loaded = new Map<string, Promise<PolicyModule>>();

/** Imports a policy module once per process; UsageError if it is missing, fails to load or exports neither function. */
export function loadPolicyModule(file: string, flag = '--policy'): Promise<PolicyModule> {
  const path = resolve(file);
  let mod = loaded.get(path);
  if (!mod) {
    mod = importPolicy(file, path, flag);
    loaded.set(path, mod);
  }
  return mod;
}

async function importPolicy(file: string, path: string, flag: string): Promise<PolicyModule> {
  if (!existsSync(path) || !statSync(path).isFile())
    throw new UsageError(`${flag}: ${file}: no such policy module file`);
  let ns: Record<string, unknown>;
  try {
    ns = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(`${flag}: ${file}: the module failed to load: ${message(err)}`);
  }
  const act = ns.act,
    actBatch = ns.actBatch;
  if (typeof act !== 'function' && typeof actBatch !== 'function')
    throw new UsageError(
      `${flag}: ${file}: exports neither act(observation, info) nor actBatch(observations, num, size) as a function`,
    );
  return {
    file,
    path,
    ...(typeof act === 'function' ? { act: act as ActFn } : {}),
    ...(typeof actBatch === 'function' ? { actBatch: actBatch as ActBatchFn } : {}),
  };
}

/**
 * The error to rethrow when a pool task running a policy module failed. Errors cross the worker
 * boundary as plain Errors; the module was checked before, so a failure naming its file is the
 * module's (a throw or an invalid action on some later observation) and becomes a UsageError again.
 */
export function policyTaskError(err: unknown, module: PolicyModule): unknown {
  if (err instanceof UsageError || !(err instanceof Error) || !err.message.includes(module.file)) return err;
  return new UsageError(err.message);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** What a valid action is, for checks and messages. */
export interface ActionRule {
  /** e.g. 'an integer action index in 0…3'. */
  readonly expected: string;
  readonly valid: (a: unknown) => boolean;
}

/** An integer index in [0, n). */
export function discreteRule(n: number): ActionRule {
  return {
    expected: `an integer action index in 0…${n - 1}`,
    valid: (a) => typeof a === 'number' && Number.isInteger(a) && a >= 0 && a < n,
  };
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined || typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  try {
    return JSON.stringify(v)?.slice(0, 80) ?? String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/**
 * Calls the policy on one observation (act if exported, else actBatch with one row); returns the
 * action, or throws UsageError naming the file when it throws or returns something invalid.
 */
export function callPolicy(
  p: PolicyModule,
  observation: unknown,
  vector: Float64Array,
  info: unknown,
  rule: ActionRule,
  flag = '--policy',
): number {
  let a: unknown;
  const fn = p.act ? 'act(observation, info)' : 'actBatch(observations, 1, size)';
  try {
    if (p.act) a = p.act(observation, info);
    else {
      const out = (p.actBatch as ActBatchFn)(vector, 1, vector.length) as ArrayLike<unknown> | undefined;
      a = out && typeof out === 'object' && 'length' in out ? out[0] : out;
    }
  } catch (err) {
    throw new UsageError(`${flag}: ${p.file}: ${fn} threw: ${message(err)}`);
  }
  if (!rule.valid(a))
    throw new UsageError(`${flag}: ${p.file}: ${fn} returned ${show(a)} (expected ${rule.expected})`);
  return a as number;
}

/**
 * Calls actBatch on `num` rows; throws UsageError naming the file when it throws, returns a non-array,
 * a wrong length or an invalid action (the first offending row is named).
 */
export function callPolicyBatch(
  p: PolicyModule,
  observations: Float64Array,
  num: number,
  size: number,
  rule: ActionRule,
  flag = '--policy',
): ArrayLike<number> {
  let out: unknown;
  try {
    out = (p.actBatch as ActBatchFn)(observations, num, size);
  } catch (err) {
    throw new UsageError(
      `${flag}: ${p.file}: actBatch(observations, ${num}, ${size}) threw: ${message(err)}`,
    );
  }
  const arr = out as ArrayLike<unknown> | undefined;
  if (!arr || typeof arr !== 'object' || typeof arr.length !== 'number' || arr.length !== num)
    throw new UsageError(
      `${flag}: ${p.file}: actBatch(observations, ${num}, ${size}) returned ${show(out)} (expected an array of ${num} actions)`,
    );
  for (let i = 0; i < num; i++)
    if (!rule.valid(arr[i]))
      throw new UsageError(
        `${flag}: ${p.file}: actBatch returned ${show(arr[i])} at row ${i} (expected ${rule.expected})`,
      );
  return arr as ArrayLike<number>;
}
