/**
 * The self-describing policy file of `quantrl qknn train`: one JSON document with a format tag, the
 * code version, the full solver configuration, the training summary, and per step the grid's feature
 * vectors (f64), the policy table Â_n (one byte per grid point) and the values Û_n (f64), base64-encoded,
 * each with its length; in product time mode also the step's J time points, with J entries of Â_n and
 * Û_n per grid point (row-major). `qknn train` writes it as policy.json in its output folder. A file
 * of another format or code version, a truncated one, or one whose steps, feature width, time points
 * or actions do not match its own configuration is refused with a UsageError naming the file.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import type { LobModel } from '../lob/model.js';
import { codeVersion } from '../machine.js';
import { actionCount, type QknnConfig, qknnModel, resolveQknnConfig, timePoints } from './config.js';
import { qknnFeatureSpec } from './features.js';
import type { StepTable, TrainResult } from './solver.js';

export const POLICY_FORMAT = 'quantrl-qknn-policy/1';
/** The policy file's name inside the folder `qknn train` writes. */
export const POLICY_FILE = 'policy.json';

/**
 * Upper bound of a policy file's size: every trajectory of set A recorded at every step, each point's
 * features (f64) and, per time point (one, or J in product mode), its action byte and Û (f64), in
 * base64, plus per step the J time points, the configuration and the summary.
 */
export function policyFileBytes(c: QknnConfig): number {
  const m = qknnModel(c);
  const W = timePoints(c);
  const perPoint = qknnFeatureSpec(c, m).d * 8 + W * (1 + 8);
  const perStep = c.timeMode === 'product' ? W * 8 : 0;
  return Math.ceil((m.maxEvents * (c.D * perPoint + perStep) * 4) / 3) + 2 ** 16;
}

interface StepRecord {
  count: number;
  feats: string;
  actions: string;
  U: string;
  /** Product time mode: the step's J time points (f64); Â and Û then hold J entries per grid point. */
  taus?: string;
}

interface PolicyDocument {
  format: string;
  codeVersion: string;
  config: QknnConfig;
  d: number;
  summary: Record<string, unknown>;
  steps: StepRecord[];
}

const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/** Serialises a trained policy (set A's steps). */
export function policyJson(r: TrainResult): string {
  const doc: PolicyDocument = {
    format: POLICY_FORMAT,
    codeVersion: codeVersion(),
    config: r.config,
    d: r.spec.d,
    summary: {
      V0: r.V0,
      V0of11: r.V0of11,
      gridPoints: r.gridPoints,
      rawPoints: r.rawPoints,
      timings: r.timings,
    },
    steps: r.steps.map((s) => ({
      count: s.count,
      feats: b64(s.feats),
      actions: b64(s.actions),
      U: b64(s.U),
      ...(s.taus ? { taus: b64(s.taus) } : {}),
    })),
  };
  return `${JSON.stringify(doc)}\n`;
}

function decode<T extends Float64Array | Uint8Array>(
  file: string,
  what: string,
  text: unknown,
  n: number,
  make: (buf: ArrayBuffer) => T,
): T {
  if (typeof text !== 'string') throw new UsageError(`${file}: ${what} missing`);
  const bytes = Buffer.from(text, 'base64');
  const width = make(new ArrayBuffer(8)).BYTES_PER_ELEMENT;
  if (bytes.length !== n * width)
    throw new UsageError(`${file}: ${what} has ${bytes.length} bytes, expected ${n * width}`);
  const buf = new ArrayBuffer(bytes.length);
  new Uint8Array(buf).set(bytes);
  return make(buf);
}

/** The policy file `given` names: the file itself, or policy.json inside a folder written by `qknn train`. */
export function policyPath(given: string): string {
  try {
    return statSync(given).isDirectory() ? join(given, POLICY_FILE) : given;
  } catch {
    return given;
  }
}

/**
 * Reads and checks a policy file (or the folder holding it): its format, code version, configuration,
 * and that its steps and feature width are the ones its configuration implies. Returns its
 * configuration and steps.
 */
export function readPolicy(given: string): {
  config: QknnConfig;
  steps: StepTable[];
  summary: Record<string, unknown>;
} {
  const file = policyPath(given);
  let doc: PolicyDocument;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as PolicyDocument;
  } catch (err) {
    throw new UsageError(
      `${file}: not a readable policy file (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  if (doc?.format !== POLICY_FORMAT) throw new UsageError(`${file}: not a ${POLICY_FORMAT} file`);
  if (doc.codeVersion !== codeVersion()) {
    throw new UsageError(`${file}: written by quantrl ${doc.codeVersion}, this is ${codeVersion()}`);
  }
  let config: QknnConfig;
  let model: LobModel;
  try {
    config = resolveQknnConfig(doc.config);
    model = qknnModel(config);
  } catch (err) {
    throw new UsageError(`${file}: config.${err instanceof Error ? err.message : String(err)}`);
  }
  const d = qknnFeatureSpec(config, model).d;
  if (doc.d !== d)
    throw new UsageError(`${file}: d = ${String(doc.d)} features per point, its configuration has d = ${d}`);
  if (!Array.isArray(doc.steps)) throw new UsageError(`${file}: steps missing`);
  if (doc.steps.length !== model.maxEvents)
    throw new UsageError(`${file}: ${doc.steps.length} steps, its configuration has N = ${model.maxEvents}`);
  const nA = actionCount(config);
  const W = timePoints(config);
  const steps = doc.steps.map((s, n): StepTable => {
    const count = s?.count;
    if (!Number.isInteger(count) || count < 0) throw new UsageError(`${file}: steps.${n}.count invalid`);
    const feats = decode(file, `steps.${n}.feats`, s.feats, count * d, (b) => new Float64Array(b));
    const actions = decode(file, `steps.${n}.actions`, s.actions, count * W, (b) => new Uint8Array(b));
    for (const a of actions)
      if (a >= nA) throw new UsageError(`${file}: steps.${n}.actions holds action ${a}`);
    const U = decode(file, `steps.${n}.U`, s.U, count * W, (b) => new Float64Array(b));
    if (config.timeMode === 'joint') {
      if (s.taus !== undefined) throw new UsageError(`${file}: steps.${n}.taus present in joint time mode`);
      return { count, feats, actions, U };
    }
    const taus = decode(file, `steps.${n}.taus`, s.taus, W, (b) => new Float64Array(b));
    return { count, feats, actions, U, taus };
  });
  return { config, steps, summary: doc.summary ?? {} };
}
