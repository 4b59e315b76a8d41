/**
 * Typed wrapper of the Qknn enumeration kernel (assembly/qknn/enumerate.ts). It owns its instance's
 * memory: every buffer (settings, quantizer, one chunk of states and times, q0, the query rows and
 * contributions, scratch) is allocated once at construction, so the views stay valid and the batch is
 * read in place, without copies. Same interface and bits as the TS twin (src/baseline/qknn-enumerate.ts).
 */
import { type EnumerationSetup, fullCells, type SuccessorBatch } from '../baseline/qknn-enumerate.js';
import { STATE_SLOTS } from '../lob/layout.js';
import type { KernelExports, Kernels } from './wasm.js';

interface EnumerateExports extends KernelExports {
  qknnEnumerateF64(L: number): number;
  qknnEnumerateScratch(L: number, nA: number, K: number): number;
  qknnEnumerate(
    cfg: number,
    tbl: number,
    set: number,
    qz: number,
    states: number,
    times: number,
    n: number,
    actions: number,
    nAct: number,
    hasNext: number,
    q0: number,
    qFeat: number,
    cRow: number,
    cTarget: number,
    cWeight: number,
    cBase: number,
    scratch: number,
    counts: number,
  ): void;
}

const CLASSES = { A1lim: 0, A2lim: 1, A2lim16: 2 } as const;

export class EnumerateKernel implements SuccessorBatch {
  private readonly x: EnumerateExports;
  private readonly ptr: Record<
    | 'cfg'
    | 'tbl'
    | 'set'
    | 'qz'
    | 'states'
    | 'times'
    | 'actions'
    | 'q0'
    | 'qFeat'
    | 'cRow'
    | 'cTarget'
    | 'cWeight'
    | 'cBase'
    | 'scratch'
    | 'counts',
    number
  >;
  private readonly states: Int32Array;
  private readonly times: Float64Array;
  private readonly actions: Int32Array;
  private readonly q0: Float64Array;
  private readonly counts: Int32Array;
  readonly qFeat: Float64Array;
  readonly cRow: Int32Array;
  readonly cTarget: Int32Array;
  readonly cWeight: Float64Array;
  readonly cBase: Float64Array;
  nq = 0;
  nc = 0;

  /** `kernels` must be an instance of its own: nothing else may allocate in (and so grow) its memory. */
  constructor(
    kernels: Kernels,
    readonly s: EnumerationSetup,
  ) {
    this.x = kernels.exports as EnumerateExports;
    const { c, spec, q, model, nA, chunk, maxQ } = s;
    const L = q.L;
    const d = spec.d;
    const alloc = (bytes: number) => (this.x.alloc(bytes + 16) + 15) & ~15;
    this.ptr = {
      cfg: alloc(s.cfg.byteLength),
      tbl: alloc(s.tbl.byteLength),
      set: alloc(11 * 4),
      qz: alloc(this.x.qknnEnumerateF64(L) * 8),
      states: alloc(chunk * STATE_SLOTS * 4),
      times: alloc(chunk * 8),
      actions: alloc(nA * 4),
      q0: alloc(chunk * nA * 8),
      qFeat: alloc(maxQ * d * 8),
      cRow: alloc(maxQ * 4),
      cTarget: alloc(maxQ * 4),
      cWeight: alloc(maxQ * 8),
      cBase: alloc(maxQ * 8),
      scratch: alloc(this.x.qknnEnumerateScratch(L, nA, model.K)),
      counts: alloc(8),
    };
    // views after the last allocation (an allocation may grow the memory and detach them)
    const buf = this.x.memory.buffer;
    const p = this.ptr;
    new Int32Array(buf, p.cfg, s.cfg.length).set(s.cfg);
    new Float64Array(buf, p.tbl, s.tbl.length).set(s.tbl);
    const set = new Int32Array(buf, p.set, 11);
    const constant = (name: string) => kernels.constant(name);
    set[constant('QKNN_E_ACTIONS')] = CLASSES[c.actions];
    set[constant('QKNN_E_NA')] = nA;
    set[constant('QKNN_E_D')] = d;
    set[constant('QKNN_E_CANONICAL')] = spec.canonical ? 1 : 0;
    set[constant('QKNN_E_ONE_TICK')] = spec.oneTick ? 1 : 0;
    set[constant('QKNN_E_PAPER_LITERAL')] = c.truncation === 'paper-literal' ? 1 : 0;
    set[constant('QKNN_E_PREF_MID')] = c.pRef === 'mid' ? 1 : 0;
    set[constant('QKNN_E_PHI_G')] = c.phi === 'g' ? 1 : 0;
    set[constant('QKNN_E_L')] = L;
    set[constant('QKNN_E_A_INF')] = spec.aInf;
    set[constant('QKNN_E_B_INF')] = spec.bInf;
    if (spec.K !== model.K) throw new Error('qknn enumeration: feature and model frame depths differ');
    const qz = new Float64Array(buf, p.qz, this.x.qknnEnumerateF64(L));
    qz[constant('QKNN_EF_T')] = model.T;
    qz[constant('QKNN_EF_ETA')] = model.eta;
    qz[constant('QKNN_EF_FEATURE_T')] = spec.T;
    const cells = fullCells(q);
    let o = constant('QKNN_EF_POINTS');
    for (const part of [q.points, q.weights, q.edges, cells.means, cells.masses, cells.expNeg]) {
      qz.set(part, o);
      o += part.length;
    }
    this.states = new Int32Array(buf, p.states, chunk * STATE_SLOTS);
    this.times = new Float64Array(buf, p.times, chunk);
    this.actions = new Int32Array(buf, p.actions, nA);
    this.q0 = new Float64Array(buf, p.q0, chunk * nA);
    this.qFeat = new Float64Array(buf, p.qFeat, maxQ * d);
    this.cRow = new Int32Array(buf, p.cRow, maxQ);
    this.cTarget = new Int32Array(buf, p.cTarget, maxQ);
    this.cWeight = new Float64Array(buf, p.cWeight, maxQ);
    this.cBase = new Float64Array(buf, p.cBase, maxQ);
    this.counts = new Int32Array(buf, p.counts, 2);
  }

  enumerate(
    states: Int32Array,
    times: Float64Array,
    from: number,
    to: number,
    actions: readonly number[],
    hasNext: boolean,
    q0: Float64Array,
  ): void {
    const n = to - from;
    const { nA, chunk } = this.s;
    if (n > chunk || actions.length > nA)
      throw new Error('qknn enumeration: batch larger than the kernel buffers');
    this.states.set(states.subarray(from * STATE_SLOTS, to * STATE_SLOTS));
    this.times.set(times.subarray(from, to));
    for (let j = 0; j < actions.length; j++) this.actions[j] = actions[j] as number;
    this.q0.set(q0.subarray(0, n * nA));
    const p = this.ptr;
    this.x.qknnEnumerate(
      p.cfg,
      p.tbl,
      p.set,
      p.qz,
      p.states,
      p.times,
      n,
      p.actions,
      actions.length,
      hasNext ? 1 : 0,
      p.q0,
      p.qFeat,
      p.cRow,
      p.cTarget,
      p.cWeight,
      p.cBase,
      p.scratch,
      p.counts,
    );
    q0.set(this.q0.subarray(0, n * nA));
    this.nq = this.counts[0] as number;
    this.nc = this.counts[1] as number;
  }
}
