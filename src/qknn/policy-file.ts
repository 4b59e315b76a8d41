/**
 * The self-describing policy file of `quantrl qknn train`, as JSON lines: a header line (format tag,
 * code version, the full solver configuration, the grid layout's state slots, the training summary,
 * the number of steps), then one line per step n with its grid point count, the integer width of its
 * states (2 or 4 bytes), the compact grid states, their times (f64), the policy table Â_n (one byte
 * per grid point) and the values Û_n (f64), base64-encoded. The features are not stored: they are
 * recomputed from the states and times exactly as in training. Written and read one step at a time,
 * so a file may exceed the longest string the runtime holds (D = 10⁶). `qknn train` writes it as
 * policy.json in its output folder. A file of another format or code version, a truncated one, or one
 * whose steps, feature width, grid layout or actions do not match its own configuration is refused
 * with a UsageError naming the file.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import type { LobModel } from '../lob/model.js';
import { codeVersion } from '../machine.js';
import { AtomicFile } from '../store/atomic.js';
import { actionCount, type QknnConfig, qknnModel, resolveQknnConfig, timePoints } from './config.js';
import { qknnFeatureSpec } from './features.js';
import { gridSlots } from './grids.js';
import type { StepTable, TrainResult } from './solver.js';

export const POLICY_FORMAT = 'quantrl-qknn-policy/2';
/** The policy file's name inside the folder `qknn train` writes. */
export const POLICY_FILE = 'policy.json';

interface Header {
  format: string;
  codeVersion: string;
  config: QknnConfig;
  d: number;
  slots: number[];
  summary: Record<string, unknown>;
  steps: number;
}

interface StepRecord {
  n: number;
  count: number;
  width: number;
  states: string;
  times: string;
  actions: string;
  U: string;
  /** Product time mode: the step's J time points (f64); Â and Û then hold J entries per grid point. */
  taus?: string;
}

const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/** Writes a trained policy (set A's steps) atomically, one line per step. */
export function writePolicy(path: string, r: TrainResult): void {
  const header: Header = {
    format: POLICY_FORMAT,
    codeVersion: codeVersion(),
    config: r.config,
    d: r.spec.d,
    slots: Array.from(gridSlots(r.config.actions, r.model.K)),
    summary: {
      V0: r.V0,
      V0of11: r.V0of11,
      gridPoints: r.gridPoints,
      rawPoints: r.rawPoints,
      timings: r.timings,
    },
    steps: r.steps.length,
  };
  const out = new AtomicFile(path);
  try {
    out.write(Buffer.from(`${JSON.stringify(header)}\n`));
    r.steps.forEach((s, n) => {
      const rec: StepRecord = {
        n,
        count: s.count,
        width: s.grid.states.BYTES_PER_ELEMENT,
        states: b64(s.grid.states),
        times: b64(s.grid.times),
        actions: b64(s.actions),
        U: b64(s.U),
        ...(s.taus ? { taus: b64(s.taus) } : {}),
      };
      out.write(Buffer.from(`${JSON.stringify(rec)}\n`));
    });
    out.commit();
  } catch (err) {
    out.abort();
    throw err;
  }
}

function decode<T extends ArrayBufferView>(
  file: string,
  what: string,
  text: unknown,
  n: number,
  width: number,
  make: (buf: ArrayBuffer) => T,
): T {
  if (typeof text !== 'string') throw new UsageError(`${file}: ${what} missing`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== n * width)
    throw new UsageError(`${file}: ${what} has ${bytes.length} bytes, expected ${n * width}`);
  const buf = new ArrayBuffer(bytes.length);
  new Uint8Array(buf).set(bytes);
  return make(buf);
}

function parseLine<T>(file: string, buf: Buffer, from: number, to: number, what: string): T {
  try {
    return JSON.parse(buf.toString('utf8', from, to)) as T;
  } catch (err) {
    throw new UsageError(
      `${file}: not a readable policy file (${what}: ${err instanceof Error ? err.message : String(err)})`,
    );
  }
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
 * and that its steps, feature width and grid layout are the ones its configuration implies. Returns
 * its configuration and steps.
 */
export function readPolicy(given: string): {
  config: QknnConfig;
  steps: StepTable[];
  summary: Record<string, unknown>;
} {
  const file = policyPath(given);
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    throw new UsageError(
      `${file}: not a readable policy file (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  let at = 0;
  const nextLine = (what: string) => {
    if (at >= buf.length)
      throw new UsageError(`${file}: not a readable policy file (truncated before ${what})`);
    const nl = buf.indexOf(10, at);
    const end = nl < 0 ? buf.length : nl;
    const range: [number, number] = [at, end];
    at = end + 1;
    return range;
  };
  const [h0, h1] = nextLine('the header');
  const head = parseLine<Header>(file, buf, h0, h1, 'header');
  if (head?.format !== POLICY_FORMAT) throw new UsageError(`${file}: not a ${POLICY_FORMAT} file`);
  if (head.codeVersion !== codeVersion()) {
    throw new UsageError(`${file}: written by quantrl ${head.codeVersion}, this is ${codeVersion()}`);
  }
  let config: QknnConfig;
  let model: LobModel;
  try {
    config = resolveQknnConfig(head.config);
    model = qknnModel(config);
  } catch (err) {
    throw new UsageError(`${file}: config.${err instanceof Error ? err.message : String(err)}`);
  }
  const d = qknnFeatureSpec(config, model).d;
  if (head.d !== d)
    throw new UsageError(`${file}: d = ${String(head.d)} features per point, its configuration has d = ${d}`);
  const slots = gridSlots(config.actions, model.K);
  const W = timePoints(config);
  if (!Array.isArray(head.slots) || head.slots.join(',') !== slots.join(','))
    throw new UsageError(`${file}: slots do not match the configuration's grid layout`);
  if (!Number.isInteger(head.steps) || head.steps < 0) throw new UsageError(`${file}: steps missing`);
  if (head.steps !== model.maxEvents)
    throw new UsageError(`${file}: ${head.steps} steps, its configuration has N = ${model.maxEvents}`);
  const nA = actionCount(config);
  const w = slots.length;
  const steps: StepTable[] = [];
  for (let n = 0; n < head.steps; n++) {
    const [l0, l1] = nextLine(`step ${n}`);
    const s = parseLine<StepRecord>(file, buf, l0, l1, `step ${n}`);
    const count = s?.count;
    if (s?.n !== n || !Number.isInteger(count) || count < 0)
      throw new UsageError(`${file}: steps.${n}.count invalid`);
    if (s.width !== 2 && s.width !== 4) throw new UsageError(`${file}: steps.${n}.width must be 2 or 4`);
    const states = decode(file, `steps.${n}.states`, s.states, count * w, s.width, (b) =>
      s.width === 2 ? new Int16Array(b) : new Int32Array(b),
    );
    const times = decode(file, `steps.${n}.times`, s.times, count, 8, (b) => new Float64Array(b));
    const actions = decode(file, `steps.${n}.actions`, s.actions, count * W, 1, (b) => new Uint8Array(b));
    for (const a of actions)
      if (a >= nA) throw new UsageError(`${file}: steps.${n}.actions holds action ${a}`);
    const U = decode(file, `steps.${n}.U`, s.U, count * W, 8, (b) => new Float64Array(b));
    if (config.timeMode === 'joint') {
      if (s.taus !== undefined) throw new UsageError(`${file}: steps.${n}.taus present in joint time mode`);
      steps.push({ count, grid: { count, slots, states, times }, actions, U });
    } else {
      const taus = decode(file, `steps.${n}.taus`, s.taus, W, 8, (b) => new Float64Array(b));
      steps.push({ count, grid: { count, slots, states, times, taus }, actions, U, taus });
    }
  }
  if (at < buf.length) throw new UsageError(`${file}: not a readable policy file (data after the last step)`);
  return { config, steps, summary: head.summary ?? {} };
}
