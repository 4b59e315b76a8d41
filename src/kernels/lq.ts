/** Typed wrapper of the LQ model-free kernel over the pointer ABI: buffers allocated once per instance. */
import type { LqModel, ModelBasedSettings, ModelFreeSettings } from '../lq/model.js';
import { eulerSteps } from '../lq/model.js';
import type { KernelExports, Kernels } from './wasm.js';

interface LqExports extends KernelExports {
  lqModelFree(
    prm: number,
    sched: number,
    zig: number,
    st: number,
    out: number,
    steps: number,
    from: number,
    to: number,
  ): number;
  lqModelFreeFixedNoise(
    prm: number,
    sched: number,
    scratch: number,
    steps: number,
    n: number,
    phi1: number,
  ): number;
  readonly lastGrad: WebAssembly.Global;
  readonly lastState: WebAssembly.Global;
  lqModelBased(
    prm: number,
    sched: number,
    zig: number,
    st: number,
    est: number,
    out: number,
    steps: number,
    from: number,
    to: number,
  ): number;
  lqModelBasedInit(prm: number, est: number, a0: number, b0: number, c0: number, d0: number): void;
  lqModelBasedX2ScratchBytes(steps: number): number;
  lqModelBasedX2(
    prm: number,
    sched: number,
    zig: number,
    stA: number,
    stB: number,
    estA: number,
    estB: number,
    outA: number,
    outB: number,
    scratch: number,
    steps: number,
    from: number,
    to: number,
  ): number;
  quarticRealRoots(c: number, out: number, scratch: number): number;
  lqModelFreeX2(
    prm: number,
    sched: number,
    zig: number,
    stA: number,
    stB: number,
    outA: number,
    outB: number,
    steps: number,
    from: number,
    to: number,
  ): number;
}

/** The LQ kernels' exports of an instance. */
export function lqExports(k: Kernels): LqExports {
  return k.exports as LqExports;
}

/** Writes the model and settings into a parameter block at the slots the module exports. */
export function writeLqParams(
  k: Kernels,
  prm: number,
  m: LqModel,
  s: Pick<ModelFreeSettings, 'phiLo' | 'phiHi'> & { criticK?: number },
): void {
  const block = k.f64(prm, k.constant('LQ_PARAM_SLOTS'));
  const slots: Record<string, number> = {
    LQ_A: m.A,
    LQ_B: m.B,
    LQ_C: m.C,
    LQ_D: m.D,
    LQ_Q: m.Q,
    LQ_X0: m.x0,
    LQ_DT: m.dt,
    LQ_PHI_LO: s.phiLo,
    LQ_PHI_HI: s.phiHi,
    LQ_CRITIC_K: s.criticK ?? 1,
  };
  for (const [name, value] of Object.entries(slots)) block[k.constant(name)] = value;
}

/** One instance's model-free run: parameters, schedule, stream state and the φ₁ path buffer. */
export class LqModelFreeKernel {
  readonly iterations: number;
  readonly steps: number;
  private readonly prm: number;
  private readonly sched: number;
  private readonly st: number;
  private readonly out: number;

  constructor(
    private readonly k: Kernels,
    m: LqModel,
    s: ModelFreeSettings,
    schedule: Float64Array,
    iterations: number,
  ) {
    this.iterations = iterations;
    this.steps = eulerSteps(m);
    this.prm = k.allocF64(k.constant('LQ_PARAM_SLOTS'));
    this.sched = k.allocF64(schedule.length);
    this.st = k.allocF64(4);
    this.out = k.allocF64(iterations + 1);
    writeLqParams(k, this.prm, m, s);
    k.f64(this.sched, schedule.length).set(schedule);
    this.path()[0] = s.phi1Init;
  }

  /** Seeds the stream from its key. */
  seed(key: bigint): void {
    this.k.exports.seedStream(this.st, key);
  }

  /** Runs iterations [from, to); the status of kernels/engine.ts (0, or the 1-based failing iteration). */
  run(from: number, to: number): number {
    return lqExports(this.k).lqModelFree(
      this.prm,
      this.sched,
      this.k.zig,
      this.st,
      this.out,
      this.steps,
      from,
      to,
    );
  }

  /** φ₁ after 0 … N updates (a view into instance memory). */
  path(): Float64Array {
    return this.k.f64(this.out, this.iterations + 1);
  }
}

/** Two model-free seeds per call in SIMD lanes (bit-identical per seed to LqModelFreeKernel). */
export class LqModelFreeKernelX2 {
  readonly steps: number;
  private readonly prm: number;
  private readonly sched: number;
  private readonly st: [number, number];
  private readonly out: [number, number];

  constructor(
    private readonly k: Kernels,
    m: LqModel,
    s: ModelFreeSettings,
    schedule: Float64Array,
    readonly iterations: number,
  ) {
    this.steps = eulerSteps(m);
    this.prm = k.allocF64(k.constant('LQ_PARAM_SLOTS'));
    this.sched = k.allocF64(schedule.length);
    this.st = [k.allocF64(4), k.allocF64(4)];
    this.out = [k.allocF64(iterations + 1), k.allocF64(iterations + 1)];
    writeLqParams(k, this.prm, m, s);
    k.f64(this.sched, schedule.length).set(schedule);
    for (const lane of [0, 1] as const) this.path(lane)[0] = s.phi1Init;
  }

  seed(keyA: bigint, keyB: bigint): void {
    lqExports(this.k).seedStream(this.st[0], keyA);
    lqExports(this.k).seedStream(this.st[1], keyB);
  }

  /** Iterations [from, to) of both seeds; 0, or (1-based failing iteration << 1 | lane), decoded per seed by lq/engines.ts. */
  run(from: number, to: number): number {
    const k = this.k;
    return lqExports(k).lqModelFreeX2(
      this.prm,
      this.sched,
      k.zig,
      this.st[0],
      this.st[1],
      this.out[0],
      this.out[1],
      this.steps,
      from,
      to,
    );
  }

  path(lane: 0 | 1): Float64Array {
    return this.k.f64(this.out[lane], this.iterations + 1);
  }
}

/** Final estimates of a model-based run. */
export interface PlugInEstimates {
  readonly aHat: number;
  readonly bHat: number;
  /** Ĉ/D̂ (the sign of (Ĉ, D̂) is not identified by the quadratic variation). */
  readonly ratio: number;
  readonly d2Hat: number;
  readonly episodes: number;
}

/** One instance's model-based run: parameters, schedule, stream, estimator block and φ̂₁ path. */
export class LqModelBasedKernel {
  readonly steps: number;
  private readonly prm: number;
  private readonly sched: number;
  private readonly st: number;
  private readonly est: number;
  private readonly out: number;

  constructor(
    private readonly k: Kernels,
    m: LqModel,
    private readonly s: ModelBasedSettings,
    schedule: Float64Array,
    readonly iterations: number,
  ) {
    this.steps = eulerSteps(m);
    this.prm = k.allocF64(k.constant('LQ_PARAM_SLOTS'));
    this.sched = k.allocF64(schedule.length);
    this.st = k.allocF64(4);
    this.est = k.exports.alloc(k.constant('MB_BLOCK_BYTES'));
    this.out = k.allocF64(iterations);
    writeLqParams(k, this.prm, m, s);
    k.f64(this.sched, schedule.length).set(schedule);
  }

  /** Seeds the stream and resets the estimator to the warm start. */
  seed(key: bigint): void {
    const ex = lqExports(this.k);
    ex.seedStream(this.st, key);
    ex.lqModelBasedInit(this.prm, this.est, ...this.s.warmStart);
  }

  run(from: number, to: number): number {
    const k = this.k;
    return lqExports(k).lqModelBased(
      this.prm,
      this.sched,
      k.zig,
      this.st,
      this.est,
      this.out,
      this.steps,
      from,
      to,
    );
  }

  /** φ̂₁ₙ run in episodes 1 … N (a view into instance memory). */
  path(): Float64Array {
    return this.k.f64(this.out, this.iterations);
  }

  estimates(): PlugInEstimates {
    return readEstimates(this.k, this.est);
  }
}

/** The final estimates held in an estimator block. */
function readEstimates(k: Kernels, est: number): PlugInEstimates {
  const block = k.f64(est, k.constant('MB_SLOTS'));
  const at = (name: string) => block[k.constant(name)] as number;
  return {
    aHat: at('MB_A_HAT'),
    bHat: at('MB_B_HAT'),
    ratio: at('MB_RATIO'),
    d2Hat: at('MB_D2_HAT'),
    episodes: at('MB_EPISODES'),
  };
}

/** Two model-based seeds per call in SIMD lanes (bit-identical per seed to LqModelBasedKernel). */
export class LqModelBasedKernelX2 {
  readonly steps: number;
  private readonly prm: number;
  private readonly sched: number;
  private readonly st: [number, number];
  private readonly est: [number, number];
  private readonly out: [number, number];
  private readonly scratch: number;

  constructor(
    private readonly k: Kernels,
    m: LqModel,
    private readonly s: ModelBasedSettings,
    schedule: Float64Array,
    readonly iterations: number,
  ) {
    this.steps = eulerSteps(m);
    this.prm = k.allocF64(k.constant('LQ_PARAM_SLOTS'));
    this.sched = k.allocF64(schedule.length);
    this.st = [k.allocF64(4), k.allocF64(4)];
    const estBytes = k.constant('MB_BLOCK_BYTES');
    this.est = [k.exports.alloc(estBytes), k.exports.alloc(estBytes)];
    this.out = [k.allocF64(iterations), k.allocF64(iterations)];
    this.scratch = k.exports.alloc(lqExports(k).lqModelBasedX2ScratchBytes(this.steps));
    writeLqParams(k, this.prm, m, s);
    k.f64(this.sched, schedule.length).set(schedule);
  }

  /** Seeds both streams and resets both estimators to the warm start. */
  seed(keyA: bigint, keyB: bigint): void {
    const ex = lqExports(this.k);
    for (const [lane, key] of [keyA, keyB].entries()) {
      ex.seedStream(this.st[lane] as number, key);
      ex.lqModelBasedInit(this.prm, this.est[lane] as number, ...this.s.warmStart);
    }
  }

  /** Episodes from+1 … to of both seeds; 0, or (failing episode << 1 | lane). */
  run(from: number, to: number): number {
    const k = this.k;
    return lqExports(k).lqModelBasedX2(
      this.prm,
      this.sched,
      k.zig,
      this.st[0],
      this.st[1],
      this.est[0],
      this.est[1],
      this.out[0],
      this.out[1],
      this.scratch,
      this.steps,
      from,
      to,
    );
  }

  path(lane: 0 | 1): Float64Array {
    return this.k.f64(this.out[lane], this.iterations);
  }

  estimates(lane: 0 | 1): PlugInEstimates {
    return readEstimates(this.k, this.est[lane]);
  }
}
