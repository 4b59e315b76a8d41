/**
 * Typed wrapper of the execution Q-learning kernels over the pointer ABI: one instance per run, all
 * buffers allocated once, the descriptor written at the slots the module exports.
 */
import { type ExecutionMdp, NEXT_I32, REC } from '../execution/env.js';
import type { Schedules } from '../execution/schedules.js';
import type { KernelExports, Kernels } from './wasm.js';

interface ExecutionExports extends KernelExports {
  qlTrain(desc: number, from: number, to: number): number;
  qlEvaluate(desc: number, policy: number, st: number, episodes: number, out: number): void;
}

/** The bytes of time step t's records (S·A·K records of the env's layout). */
function slabBytes(m: ExecutionMdp, t: number): Uint8Array {
  const bytes = m.trans.byteLength / m.horizon;
  return new Uint8Array(m.trans.buffer, m.trans.byteOffset + t * bytes, bytes);
}

/**
 * Consecutive time steps whose transition records are byte-equal share one copy in kernel memory
 * (the laws are usually the same at every step but the last): `of[t]` is the step whose copy t uses,
 * `distinct` the steps stored. A smaller table stays in cache, and the records are unchanged. Each
 * step is compared with the previous one only, so this costs one pass over the table.
 */
function distinctSlabs(m: ExecutionMdp): { of: number[]; distinct: number[] } {
  const distinct: number[] = [];
  const of: number[] = [];
  const bytes = (t: number) => {
    const v = slabBytes(m, t);
    return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  };
  for (let t = 0; t < m.horizon; t++) {
    const prev = of[t - 1];
    const same = prev !== undefined && bytes(t).equals(bytes(prev));
    if (!same) distinct.push(t);
    of.push(same ? prev : t);
  }
  return { of, distinct };
}

/**
 * Writes time step t's records in the kernel's (s, a) record layout (assembly/execution/qlearn.ts):
 * K − 1 cumulative probabilities (the last is 1), K rewards, and per outcome the next state with
 * its feasible count and obs index packed as nf << shift | obs.
 */
function packSlab(m: ExecutionMdp, t: number, at: number, mem: ArrayBuffer, shift: number): void {
  const S = m.states,
    A = m.actions,
    K = m.outcomes;
  const words = 3 * K - 1; // 8-byte words per (s, a) record
  const f = new Float64Array(mem, at, S * A * words);
  const w = new Int32Array(mem, at, 2 * S * A * words);
  for (let sa = 0; sa < S * A; sa++) {
    const src = (t * S * A + sa) * K * REC;
    const dst = sa * words;
    for (let k = 0; k < K; k++) {
      const rec = src + k * REC;
      if (k < K - 1) f[dst + k] = m.trans[rec] as number;
      f[dst + K - 1 + k] = m.trans[rec + 1] as number;
      const next = m.transI32[2 * rec + NEXT_I32] as number;
      w[2 * (dst + 2 * K - 1 + k)] = next;
      w[2 * (dst + 2 * K - 1 + k) + 1] = ((m.feasible[next] as number) << shift) | (m.obs[next] as number);
    }
  }
}

/** One training run's buffers in instance memory. */
export class QlKernel {
  private readonly x: ExecutionExports;
  private readonly desc: number;
  private readonly ptr: Record<string, number> = {};
  private readonly sizes: { q: number; ck: number; a2: number };
  private readonly init: { qInit: number; eps0: number };

  constructor(
    private readonly k: Kernels,
    readonly mdp: ExecutionMdp,
    s: Schedules,
    qInit: number,
    vstar0: Float64Array,
    reachObs: Uint8Array,
  ) {
    this.x = k.exports as ExecutionExports;
    const m = mdp;
    // Q and counts rows have a stride A2 (A rounded up to a multiple of 4); Q is −∞ off the feasible prefix.
    const a2 = (m.actions + 3) & ~3;
    const nq = m.horizon * m.obsStates * a2;
    this.sizes = { q: nq, ck: s.checkpoints.length, a2 };
    this.init = { qInit, eps0: s.eps0 };
    const alloc = (name: string, bytes: number) => {
      this.ptr[name] = this.x.alloc(Math.max(8, bytes));
    };
    const shift = k.constant('QL_NEXT_NF_SHIFT');
    // (the configs' table-size limit keeps S_obs far below 2^shift; A ≤ 64 is a config rule)
    if (m.obsStates >= 2 ** shift || m.actions > 64)
      throw new Error(`quantrl: the Q-learning kernel takes < 2^${shift} obs states and ≤ 64 actions`);
    const slabs = distinctSlabs(m);
    const slabBytesPacked = m.states * m.actions * (3 * m.outcomes - 1) * 8;
    alloc('trans', slabs.distinct.length * slabBytesPacked + 64); // 64 bytes of slack to align records to lines
    alloc('slabs', (m.horizon + 1) * 4);
    alloc('feas', m.states * 4);
    alloc('obs', m.states * 4);
    alloc('obsFeas', m.obsStates * 4);
    alloc('starts', m.starts.length * 4);
    alloc('startCum', m.starts.length * 8);
    alloc('startProb', m.starts.length * 8);
    alloc('q', nq * 8);
    alloc('counts', nq * 4);
    alloc('lr', s.lr.length * 8);
    alloc('prm', k.constant('QP_SLOTS') * 8);
    alloc('rng', 32);
    alloc('ckEp', s.checkpoints.length * 4);
    alloc('ckOut', s.checkpoints.length * k.constant('QL_CK_STRIDE') * 8);
    alloc('scratch', (2 * m.states + m.obsStates + k.constant('QL_RING')) * 8);
    alloc('reach', reachObs.length);
    alloc('vstar0', m.starts.length * 8);
    alloc('inventory', m.states * 4);
    alloc('evalRng', 32);
    alloc('policy', m.horizon * m.states * 4);
    alloc('rows', m.horizon * m.obsStates * k.constant('QL_ROW_BYTES'));
    this.desc = this.x.alloc(k.constant('QD_SLOTS') * 4);

    const slabAt = new Int32Array(m.horizon + 1); // slot N pads the kernel's look-ahead
    const first = (this.at('trans') + 63) & ~63;
    slabs.distinct.forEach((t, i) => {
      const at = first + i * slabBytesPacked;
      packSlab(m, t, at, this.memory(), shift);
      slabs.of.forEach((d, t2) => {
        if (d === t) slabAt[t2] = at;
      });
    });
    this.i32('slabs', m.horizon + 1).set(slabAt);
    this.i32('feas', m.states).set(m.feasible);
    this.i32('obs', m.states).set(m.obs);
    this.i32('obsFeas', m.obsStates).set(m.obsFeasible);
    this.i32('starts', m.starts.length).set(m.starts);
    this.f64('startCum', m.starts.length).set(m.startCum);
    this.f64('startProb', m.starts.length).set(m.startProb);
    this.f64('lr', s.lr.length).set(s.lr);
    this.i32('ckEp', s.checkpoints.length).set(s.checkpoints);
    new Uint8Array(this.memory(), this.at('reach'), reachObs.length).set(reachObs);
    this.f64('vstar0', m.starts.length).set(vstar0);
    this.i32('inventory', m.states).set(m.inventory);

    const d = new Int32Array(this.memory(), this.desc, k.constant('QD_SLOTS'));
    const slot = (name: string, v: number) => {
      d[k.constant(name)] = v;
    };
    slot('QD_TRANS', this.at('slabs'));
    slot('QD_FEAS', this.at('feas'));
    slot('QD_OBS', this.at('obs'));
    slot('QD_OBS_FEAS', this.at('obsFeas'));
    slot('QD_STARTS', this.at('starts'));
    slot('QD_START_CUM', this.at('startCum'));
    slot('QD_START_PROB', this.at('startProb'));
    slot('QD_Q', this.at('q'));
    slot('QD_COUNTS', this.at('counts'));
    slot('QD_LR', this.at('lr'));
    slot('QD_PRM', this.at('prm'));
    slot('QD_RNG', this.at('rng'));
    slot('QD_CK_EPISODES', this.at('ckEp'));
    slot('QD_CK_OUT', this.at('ckOut'));
    slot('QD_SCRATCH', this.at('scratch'));
    slot('QD_REACH', this.at('reach'));
    slot('QD_VSTAR0', this.at('vstar0'));
    slot('QD_INVENTORY', this.at('inventory'));
    slot('QD_N', m.horizon);
    slot('QD_S', m.states);
    slot('QD_A', m.actions);
    slot('QD_K', m.outcomes);
    slot('QD_S_OBS', m.obsStates);
    slot('QD_N_STARTS', m.starts.length);
    slot('QD_EPS_KIND', s.epsKind);
    slot('QD_LR_LEN', s.lr.length);
    slot('QD_N_CK', s.checkpoints.length);
    slot('QD_CK_NEXT', 0);
    slot('QD_ROWS', this.at('rows'));

    const p = this.f64('prm', k.constant('QP_SLOTS'));
    const param = (name: string, v: number) => {
      p[k.constant(name)] = v;
    };
    param('QP_GAMMA', m.gamma);
    param('QP_EPS0', s.eps0);
    param('QP_EPS1', s.eps1);
    param('QP_EPS_FE', s.epsFE);
    param('QP_EPS_DECAY', s.epsDecay);
    param('QP_EPS_RAW', s.eps0);
    param('QP_OMEGA', s.omega);
    param('QP_ALPHA_MIN', s.alphaMin);
    param('QP_STEPS', 0);
    this.reset();
  }

  /** A fresh run on the same tables: Q = qInit (−∞ off the feasible prefix), counts 0, schedules rewound. */
  reset(): void {
    const m = this.mdp;
    const a2 = this.sizes.a2;
    const q = this.f64('q', this.sizes.q).fill(Number.NEGATIVE_INFINITY);
    for (let r = 0; r < m.horizon * m.obsStates; r++)
      q.fill(this.init.qInit, r * a2, r * a2 + (m.obsFeasible[r % m.obsStates] as number));
    new Uint32Array(this.memory(), this.at('counts'), this.sizes.q).fill(0);
    new Int32Array(this.memory(), this.desc, this.k.constant('QD_SLOTS'))[this.k.constant('QD_CK_NEXT')] = 0;
    const p = this.f64('prm', this.k.constant('QP_SLOTS'));
    p[this.k.constant('QP_EPS_RAW')] = this.init.eps0;
    p[this.k.constant('QP_STEPS')] = 0;
  }

  private memory(): ArrayBuffer {
    return this.x.memory.buffer as ArrayBuffer;
  }

  private at(name: string): number {
    const p = this.ptr[name];
    if (p === undefined) throw new Error(`quantrl: no buffer ${name}`);
    return p;
  }

  private f64(name: string, n: number): Float64Array {
    return new Float64Array(this.memory(), this.at(name), n);
  }

  private i32(name: string, n: number): Int32Array {
    return new Int32Array(this.memory(), this.at(name), n);
  }

  /** Seeds the training stream from its key. */
  seed(key: bigint): void {
    this.x.seedStream(this.at('rng'), key);
  }

  /** Trains episodes [from, to); the status of kernels/engine.ts (0, or the 1-based first non-finite episode). */
  train(from: number, to: number): number {
    return this.x.qlTrain(this.desc, from, to);
  }

  /** The learned table in the spec's layout ((t·S_obs + o)·A + a; −∞ on infeasible actions). */
  q(): Float64Array {
    return this.unpad(
      this.f64('q', this.sizes.q),
      new Float64Array((this.sizes.q / this.sizes.a2) * this.mdp.actions),
    );
  }

  /** Visit counts, same layout. */
  counts(): Uint32Array {
    const src = new Uint32Array(this.memory(), this.at('counts'), this.sizes.q);
    return this.unpad(src, new Uint32Array((this.sizes.q / this.sizes.a2) * this.mdp.actions));
  }

  private unpad<T extends Float64Array | Uint32Array>(src: T, out: T): T {
    const A = this.mdp.actions;
    const a2 = this.sizes.a2;
    for (let r = 0; r < out.length / A; r++) out.set(src.subarray(r * a2, r * a2 + A), r * A);
    return out;
  }

  checkpoints(): Float64Array {
    return this.f64('ckOut', this.sizes.ck * this.k.constant('QL_CK_STRIDE')).slice();
  }

  steps(): number {
    return this.f64('prm', this.k.constant('QP_SLOTS'))[this.k.constant('QP_STEPS')] as number;
  }

  /** Monte Carlo episodes of a policy over env states (t·S + s) on the stream `key`: (return, q_N, T_liq) rows. */
  evaluate(policy: Int32Array, key: bigint, episodes: number): Float64Array {
    const stride = this.k.constant('QL_EVAL_STRIDE');
    const out = this.x.alloc(episodes * stride * 8); // grows memory: views are re-created below
    this.i32('policy', policy.length).set(policy);
    this.x.seedStream(this.at('evalRng'), key);
    this.x.qlEvaluate(this.desc, this.at('policy'), this.at('evalRng'), episodes, out);
    return new Float64Array(this.memory(), out, episodes * stride).slice();
  }
}
