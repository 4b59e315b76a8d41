/** Typed wrapper of the order-book kernels over the pointer ABI: buffers allocated once per instance. */
import { MAX_BRANCHES, OUT_STRIDE, RATES_LEN, STATE_SLOTS } from '../lob/layout.js';
import type { KernelExports, Kernels } from './wasm.js';

interface LobExports extends KernelExports {
  lobEpisodes(
    cfg: number,
    prm: number,
    tbl: number,
    zig: number,
    init: number,
    st: number,
    rng: number,
    r: number,
    out: number,
    base: bigint,
    from: number,
    to: number,
  ): number;
  lobReanchor(cfg: number, st: number): void;
  lobApplyEvent(cfg: number, st: number, e: number, ahead: number): number;
  lobApplyAction(cfg: number, st: number, askLabel: number, bidLabel: number): void;
  lobApplyAction16(cfg: number, st: number, askMask: number, bidMask: number): void;
  lobRates(cfg: number, tbl: number, st: number, out: number): number;
  lobLiquidation(cfg: number, st: number, y: number): number;
  lobTerminalReward(cfg: number, prm: number, st: number): number;
  lobSuccessors(
    cfg: number,
    tbl: number,
    st: number,
    r: number,
    states: number,
    probs: number,
    codes: number,
    lam: number,
  ): number;
  lobSampleEvent(cfg: number, tbl: number, rng: number, st: number, r: number): number;
}

export interface LobBlocks {
  readonly cfg: Int32Array;
  readonly prm: Float64Array;
  readonly tbl: Float64Array;
  readonly init: Int32Array;
}

/** One instance's order-book kernel: configuration, tables, scratch and an output buffer of `capacity` episodes. */
export class LobKernel {
  private readonly x: LobExports;
  private readonly cfg: number;
  private readonly prm: number;
  private readonly tbl: number;
  private readonly init: number;
  private readonly st: number;
  private readonly rng: number;
  private readonly r: number;
  private readonly out: number;
  private readonly succStates: number;
  private readonly succProbs: number;
  private readonly succCodes: number;
  private readonly lam: number;

  constructor(
    private readonly k: Kernels,
    blocks: LobBlocks,
    readonly capacity = 1024,
  ) {
    this.x = k.exports as LobExports;
    const a = (bytes: number) => k.exports.alloc(bytes);
    this.cfg = a(blocks.cfg.length * 4);
    this.prm = a(blocks.prm.length * 8);
    this.tbl = a(blocks.tbl.length * 8);
    this.init = a(STATE_SLOTS * 4);
    this.st = a(STATE_SLOTS * 4);
    this.rng = a(32);
    this.r = a(RATES_LEN * 8);
    this.out = a(capacity * OUT_STRIDE * 8);
    this.succStates = a(MAX_BRANCHES * STATE_SLOTS * 4);
    this.succProbs = a(MAX_BRANCHES * 8);
    this.succCodes = a(MAX_BRANCHES * 4);
    this.lam = a(8);
    this.i32(this.cfg, blocks.cfg.length).set(blocks.cfg);
    k.f64(this.prm, blocks.prm.length).set(blocks.prm);
    k.f64(this.tbl, blocks.tbl.length).set(blocks.tbl);
    this.i32(this.init, STATE_SLOTS).set(blocks.init);
  }

  private i32(ptr: number, n: number): Int32Array {
    return new Int32Array(this.k.exports.memory.buffer, ptr, n);
  }

  /** Sets one i32 slot of the configuration block (e.g. the policy code). */
  setConfig(slot: number, value: number): void {
    this.i32(this.cfg, slot + 1)[slot] = value;
  }

  /** Runs episodes [from, to) (to − from ≤ capacity); the status of kernels/engine.ts (0, or the 1-based failing episode). */
  run(base: bigint, from: number, to: number): number {
    if (to - from > this.capacity)
      throw new Error(`lob kernel: ${to - from} episodes exceed capacity ${this.capacity}`);
    const x = this.x;
    return x.lobEpisodes(
      this.cfg,
      this.prm,
      this.tbl,
      this.k.zig,
      this.init,
      this.st,
      this.rng,
      this.r,
      this.out,
      base,
      from,
      to,
    );
  }

  /** Records of the last run (a view: copy before the next call). */
  records(count: number): Float64Array {
    return this.k.f64(this.out, count * OUT_STRIDE);
  }

  // ---- single-state entry points (tests, the Qknn solver) ----

  /** Loads a state block into the work state. */
  setState(state: Int32Array): void {
    this.i32(this.st, STATE_SLOTS).set(state);
  }

  /** A copy of the work state. */
  state(): Int32Array {
    return this.i32(this.st, STATE_SLOTS).slice();
  }

  reanchor(): void {
    this.x.lobReanchor(this.cfg, this.st);
  }

  applyEvent(e: number, ahead: boolean): number {
    return this.x.lobApplyEvent(this.cfg, this.st, e, ahead ? 1 : 0);
  }

  applyAction(askLabel: number, bidLabel: number): void {
    this.x.lobApplyAction(this.cfg, this.st, askLabel, bidLabel);
  }

  /** A2lim-16 action: per-side masks, bit 0 = L1, bit 1 = L2. */
  applyAction16(askMask: number, bidMask: number): void {
    this.x.lobApplyAction16(this.cfg, this.st, askMask, bidMask);
  }

  /** The 4K+2 rates and Λ of the work state. */
  rates(K: number): { rates: Float64Array; lam: number } {
    const lam = this.x.lobRates(this.cfg, this.tbl, this.st, this.r);
    return { rates: this.k.f64(this.r, 4 * K + 2).slice(), lam };
  }

  liquidation(y: number): number {
    return this.x.lobLiquidation(this.cfg, this.st, y);
  }

  /** g(z) after cancelling the MM orders (the work state is modified). */
  terminalReward(): number {
    return this.x.lobTerminalReward(this.cfg, this.prm, this.st);
  }

  /** Every successor of the work state with its probability and code 2·e + ahead. */
  successors(): { lam: number; states: Int32Array[]; probs: Float64Array; codes: Int32Array } {
    const n = this.x.lobSuccessors(
      this.cfg,
      this.tbl,
      this.st,
      this.r,
      this.succStates,
      this.succProbs,
      this.succCodes,
      this.lam,
    );
    const all = this.i32(this.succStates, n * STATE_SLOTS);
    const states = Array.from({ length: n }, (_, i) => all.slice(i * STATE_SLOTS, (i + 1) * STATE_SLOTS));
    return {
      lam: this.k.f64(this.lam, 1)[0] as number,
      states,
      probs: this.k.f64(this.succProbs, n).slice(),
      codes: this.i32(this.succCodes, n).slice(),
    };
  }

  /** Seeds the memory stream used by sampleEvent. */
  seed(key: bigint): void {
    this.k.exports.seedStream(this.rng, key);
  }

  /** Draws and applies one event to the work state; returns its code 2·e + ahead. */
  sampleEvent(): number {
    return this.x.lobSampleEvent(this.cfg, this.tbl, this.rng, this.st, this.r);
  }
}
