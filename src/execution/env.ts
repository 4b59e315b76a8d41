/**
 * The environments of spec §1 as flat, precomputed transition tables, built once in TS and read by
 * both engines (the WASM kernel and the TS twin), the exact solver and the Gymnasium-style API.
 *
 * Layout. Env states s ∈ [0, S), time t ∈ [0, N), actions a ∈ [0, A) (feasible actions are the prefix
 * [0, feasible[s]); feasible[s] = 0 marks an absorbing state, value 0). Every (t, s, a) owns K outcome
 * records of three f64 at ((t·S + s)·A + a)·K·3: the cumulative probability (the last real outcome is
 * exactly 1; padding repeats it with probability 0), the reward, and the next state as an i32 in the
 * low word of the third slot (read it through `transI32` at 2·off + 4: integer loads keep the
 * float-to-int conversion off the kernels' critical path).
 * The learner indexes its table by obs[s] ∈ [0, S_obs) (the identity except for `noisy-features`
 * with the `minimal` projection).
 */
import {
  type DeterministicConfig,
  type EnvConfig,
  type EnvInput,
  envSize,
  type ImpactConfig,
  type NoisyFeaturesConfig,
  type OrderTypeConfig,
  parseEnvConfig,
  priceGrid,
} from './config.js';

export const REC = 3;
/** i32 index of a record's next state, from the record's f64 offset `off`: 2·off + NEXT_I32. */
export const NEXT_I32 = 4;

/** f64 offset of outcome record k of (t, s, a) in `trans`. */
export function recordOffset(m: ExecutionMdp, t: number, s: number, a: number, k: number): number {
  return (((t * m.states + s) * m.actions + a) * m.outcomes + k) * REC;
}

/** What an action does, for reports: sell a size (all variants but order-type), wait, LO, MO. */
export const ActionKind = { Size: 0, Wait: 1, Limit: 2, Market: 3 } as const;

export interface ExecutionMdp {
  readonly config: EnvConfig;
  readonly horizon: number;
  readonly states: number;
  readonly actions: number;
  readonly outcomes: number;
  readonly obsStates: number;
  readonly gamma: number;
  readonly q0: number;
  /** Outcome records (cum, reward, next), see the file comment. */
  readonly trans: Float64Array;
  /** The same records as i32 (next state of the record at f64 offset off: transI32[2·off + 4]). */
  readonly transI32: Int32Array;
  /** Feasible-prefix length per env state; 0 = absorbing. */
  readonly feasible: Int32Array;
  /** Env state → learner (observation) index. */
  readonly obs: Int32Array;
  /** Feasible-prefix length per observation index. */
  readonly obsFeasible: Int32Array;
  /** Start states with their probabilities d0 and cumulative law (last entry exactly 1). */
  readonly starts: Int32Array;
  readonly startProb: Float64Array;
  readonly startCum: Float64Array;
  /** Inventory q of each env state. */
  readonly inventory: Int32Array;
  /** Lot size of each action (order-type: ℓ of LO(ℓ)/MO(ℓ)); kind of each action. */
  readonly actionSize: Int32Array;
  readonly actionKind: Uint8Array;
  readonly actionLabels: readonly string[];
  /** Named fields of an env state (q, j, M, f1, f2 as the variant has them). */
  describe(s: number): Record<string, number>;
  /** Named fields of an observation index. */
  describeObs(o: number): Record<string, number>;
  /** The env state with these named fields (the inverse of describe; missing fields are 0). */
  stateOf(fields: Readonly<Record<string, number>>): number;
}

/**
 * Builds the tables of an environment config (fields left out take their defaults). The config is
 * validated again at run time, so a config read from JSON is checked too: UsageError names the field.
 */
export function buildMdp(config: EnvInput): ExecutionMdp {
  const c = parseEnvConfig(config);
  switch (c.variant) {
    case 'deterministic':
      return buildDeterministic(c);
    case 'impact':
      return buildImpact(c);
    case 'order-type':
      return buildOrderType(c);
    case 'noisy-features':
      return buildNoisy(c);
  }
}

// ---------------------------------------------------------------- helpers

interface Outcome {
  p: number;
  r: number;
  next: number;
}

/** Writes one (t, s, a) record block from a list of outcomes (cumulative law, padded to K). */
class TableWriter {
  readonly trans: Float64Array;
  readonly transI32: Int32Array;
  constructor(
    readonly S: number,
    readonly A: number,
    readonly K: number,
    readonly N: number,
  ) {
    this.trans = new Float64Array(N * S * A * K * REC);
    this.transI32 = new Int32Array(this.trans.buffer);
  }

  put(t: number, s: number, a: number, outs: readonly Outcome[]): void {
    const K = this.K;
    let off = ((t * this.S + s) * this.A + a) * K * REC;
    let cum = 0;
    let last = outs.length - 1;
    while (last > 0 && (outs[last] as Outcome).p === 0) last--; // the last real outcome closes at 1
    for (let k = 0; k < K; k++) {
      const o = outs[Math.min(k, outs.length - 1)] as Outcome;
      if (k < outs.length) cum += o.p;
      this.trans[off] = k >= last ? 1 : Math.min(cum, 1);
      this.trans[off + 1] = o.r;
      this.trans[off + 2] = 0;
      this.transI32[2 * off + NEXT_I32] = o.next;
      off += REC;
    }
  }

  /** Infeasible actions and absorbing states: one certain dummy outcome (never sampled). */
  dummy(t: number, s: number, a: number): void {
    this.put(t, s, a, [{ p: 1, r: 0, next: s }]);
  }
}

function feasiblePrefix(grid: readonly number[], q: number): number {
  let n = 0;
  while (n < grid.length && (grid[n] as number) <= q) n++;
  return n;
}

function running(c: { inventoryPenalty: number; inventoryPenaltyLinear: boolean }, L: number): number {
  return c.inventoryPenaltyLinear ? c.inventoryPenalty * L : c.inventoryPenalty * L * L;
}

function sizeActions(grid: readonly number[]) {
  return {
    actionSize: Int32Array.from(grid),
    actionKind: new Uint8Array(grid.length).fill(ActionKind.Size),
    actionLabels: grid.map((a) => `sell ${a}`),
  };
}

function pointStart(s: number) {
  return { starts: Int32Array.of(s), startProb: Float64Array.of(1), startCum: Float64Array.of(1) };
}

// ---------------------------------------------------------------- §1.1 deterministic, state (q, τ)

function buildDeterministic(c: DeterministicConfig): ExecutionMdp {
  const N = c.horizon,
    S = c.q0 + 1,
    A = c.actions.length;
  const w = new TableWriter(S, A, 1, N);
  const feasible = new Int32Array(S);
  for (let q = 0; q <= c.q0; q++) feasible[q] = q === 0 ? 0 : feasiblePrefix(c.actions, q);
  for (let t = 0; t < N; t++)
    for (let q = 0; q <= c.q0; q++)
      for (let ai = 0; ai < A; ai++) {
        if (ai >= (feasible[q] as number)) {
          w.dummy(t, q, ai);
          continue;
        }
        const a = c.actions[ai] as number;
        const L = q - a;
        let r = -c.k * a * a - running(c, L);
        if (t === N - 1) r -= c.terminalPenalty * L * L;
        w.put(t, q, ai, [{ p: 1, r, next: L }]);
      }
  const inventory = Int32Array.from({ length: S }, (_, q) => q);
  return {
    config: c,
    horizon: N,
    states: S,
    actions: A,
    outcomes: 1,
    obsStates: S,
    gamma: c.gamma,
    q0: c.q0,
    trans: w.trans,
    transI32: w.transI32,
    feasible,
    obs: inventory.slice(),
    obsFeasible: feasible.slice(),
    ...pointStart(c.q0),
    inventory,
    ...sizeActions(c.actions),
    describe: (s) => ({ q: s }),
    describeObs: (o) => ({ q: o }),
    stateOf: (f) => f.q ?? 0,
  };
}

// ---------------------------------------------------------------- §1.2 impact (is / pi) and §1.5 regret

function buildImpact(c: ImpactConfig): ExecutionMdp {
  const N = c.horizon,
    A = c.actions.length,
    K = c.noise.values.length;
  const g = priceGrid(c);
  const regret = c.reward === 'regret';
  const nM = regret ? g.nM : 1;
  const S = (c.q0 + 1) * g.nJ * nM;
  const index = (q: number, j: number, M: number) => (q * g.nJ + (j - g.jMin)) * nM + (regret ? M : 0);
  const clampJ = (j: number) => Math.min(g.jMax, Math.max(g.jMin, j));
  const clampM = (m: number) => Math.min(g.mMax, Math.max(0, m));
  const w = new TableWriter(S, A, K, N);
  const feasible = new Int32Array(S);
  const inventory = new Int32Array(S);
  for (let q = 0; q <= c.q0; q++)
    for (let j = g.jMin; j <= g.jMax; j++)
      for (let M = 0; M < nM; M++) {
        const s = index(q, j, M);
        inventory[s] = q;
        // q = 0 is absorbing except under `regret`, where the benchmark still moves (only action 0).
        feasible[s] = q === 0 ? (regret ? 1 : 0) : feasiblePrefix(c.actions, q);
      }
  const outs: Outcome[] = c.noise.values.map(() => ({ p: 0, r: 0, next: 0 }));
  for (let t = 0; t < N; t++) {
    const last = t === N - 1;
    for (let q = 0; q <= c.q0; q++)
      for (let j = g.jMin; j <= g.jMax; j++)
        for (let M = 0; M < nM; M++) {
          const s = index(q, j, M);
          for (let ai = 0; ai < A; ai++) {
            if (ai >= (feasible[s] as number)) {
              w.dummy(t, s, ai);
              continue;
            }
            const a = c.actions[ai] as number;
            const L = q - a;
            // `is`: cash vs arrival a(j − ηa); `pi`: vs the current mid, −ηa² (spec §1.5).
            const cash = c.reward === 'pi' ? -c.eta * a * a : a * (j - c.eta * a);
            const base = cash - running(c, L);
            for (let k = 0; k < K; k++) {
              const jn = j - c.kappa * a + (c.noise.values[k] as number);
              let r = base;
              if (last) {
                // leftover dumped at the final mid (vs arrival; 0 improvement under `pi`), plus λ_T L²
                r += (c.reward === 'pi' ? 0 : L * jn) - c.terminalPenalty * L * L;
                if (regret) r -= c.q0 * M; // PnL_hind = Q0·M_{N−1}
              }
              const o = outs[k] as Outcome;
              o.p = c.noise.probs[k] as number;
              o.r = r;
              o.next = index(L, clampJ(jn), regret ? clampM(Math.max(M, jn)) : 0);
            }
            w.put(t, s, ai, outs);
          }
        }
  }
  const decode = (s: number) => {
    const M = regret ? s % nM : 0;
    const rest = regret ? (s - M) / nM : s;
    const jIdx = rest % g.nJ;
    const q = (rest - jIdx) / g.nJ;
    return regret ? { q, j: jIdx + g.jMin, M } : { q, j: jIdx + g.jMin };
  };
  const ident = Int32Array.from({ length: S }, (_, s) => s);
  return {
    config: c,
    horizon: N,
    states: S,
    actions: A,
    outcomes: K,
    obsStates: S,
    gamma: c.gamma,
    q0: c.q0,
    trans: w.trans,
    transI32: w.transI32,
    feasible,
    obs: ident,
    obsFeasible: feasible.slice(),
    ...pointStart(index(c.q0, 0, 0)),
    inventory,
    ...sizeActions(c.actions),
    describe: decode,
    describeObs: decode,
    stateOf: (f) => index(f.q ?? 0, f.j ?? 0, f.M ?? 0),
  };
}

// ---------------------------------------------------------------- §1.3 order-type, state (q, τ)

function buildOrderType(c: OrderTypeConfig): ExecutionMdp {
  const N = c.horizon,
    S = c.q0 + 1,
    L = c.maxSize,
    A = 1 + 2 * L;
  // D law: values 0…len−1 (volume) or {0, ∞} (all-or-nothing).
  const dVals: number[] =
    c.fill.kind === 'volume' ? c.fill.probs.map((_, d) => d) : [0, Number.POSITIVE_INFINITY];
  const dProbs: number[] = c.fill.kind === 'volume' ? c.fill.probs : [1 - c.fill.p, c.fill.p];
  const K = dVals.length;
  const w = new TableWriter(S, A, K, N);
  const feasible = new Int32Array(S);
  for (let q = 0; q <= c.q0; q++) feasible[q] = q === 0 ? 0 : 1 + 2 * Math.min(q, L);
  const h = c.halfSpread;
  const tail = (t: number, qn: number) => -running(c, qn) - (t === N - 1 ? c.terminalPenalty * qn * qn : 0);
  for (let t = 0; t < N; t++)
    for (let q = 0; q <= c.q0; q++)
      for (let ai = 0; ai < A; ai++) {
        if (ai >= (feasible[q] as number)) {
          w.dummy(t, q, ai);
          continue;
        }
        if (ai === 0) {
          w.put(t, q, ai, [{ p: 1, r: tail(t, q), next: q }]);
        } else if (ai % 2 === 1) {
          const l = (ai + 1) / 2; // LO(ℓ) rests at mid + h, fills min(ℓ, D)
          w.put(
            t,
            q,
            ai,
            dVals.map((d, k) => {
              const f = Math.min(l, d);
              return { p: dProbs[k] as number, r: h * f + tail(t, q - f), next: q - f };
            }),
          );
        } else {
          const m = ai / 2; // MO(m) fills m at mid − h − η_MO·m
          const cross = c.crossPenalty * 2 * h * (c.crossPerLot ? m : 1);
          w.put(t, q, ai, [{ p: 1, r: -(h + c.etaMo * m) * m - cross + tail(t, q - m), next: q - m }]);
        }
      }
  const inventory = Int32Array.from({ length: S }, (_, q) => q);
  const actionSize = new Int32Array(A);
  const actionKind = new Uint8Array(A);
  const actionLabels = ['wait'];
  actionKind[0] = ActionKind.Wait;
  for (let l = 1; l <= L; l++) {
    actionSize[2 * l - 1] = l;
    actionSize[2 * l] = l;
    actionKind[2 * l - 1] = ActionKind.Limit;
    actionKind[2 * l] = ActionKind.Market;
    actionLabels.push(`LO ${l}`, `MO ${l}`);
  }
  return {
    config: c,
    horizon: N,
    states: S,
    actions: A,
    outcomes: K,
    obsStates: S,
    gamma: c.gamma,
    q0: c.q0,
    trans: w.trans,
    transI32: w.transI32,
    feasible,
    obs: inventory.slice(),
    obsFeasible: feasible.slice(),
    ...pointStart(c.q0),
    inventory,
    actionSize,
    actionKind,
    actionLabels,
    describe: (s) => ({ q: s }),
    describeObs: (o) => ({ q: o }),
    stateOf: (f) => f.q ?? 0,
  };
}

// ---------------------------------------------------------------- §1.4 noisy-features, state (q, τ, f1, f2)

/** P(ξ = e | f2) for e = −1, 0, +1 (spec §1.4; β = 0: the base law). */
export function xiLaw(c: NoisyFeaturesConfig, f2: number): [number, number, number] {
  const p = c.xiProbs;
  if (c.beta === 0) return [p[0] as number, p[1] as number, p[2] as number];
  const x = c.buckets > 1 ? (2 * f2) / (c.buckets - 1) - 1 : 0;
  const w = [-1, 0, 1].map((e, i) => (p[i] as number) * Math.exp(c.beta * e * x));
  const z = (w[0] as number) + (w[1] as number) + (w[2] as number);
  return [(w[0] as number) / z, (w[1] as number) / z, (w[2] as number) / z];
}

function buildNoisy(c: NoisyFeaturesConfig): ExecutionMdp {
  const N = c.horizon,
    B = c.buckets,
    A = c.actions.length,
    K = 3 * B;
  const S = (c.q0 + 1) * 3 * B;
  const index = (q: number, f1: number, f2: number) => (q * 3 + (f1 + 1)) * B + f2;
  const w = new TableWriter(S, A, K, N);
  const feasible = new Int32Array(S);
  const inventory = new Int32Array(S);
  const full = c.projection === 'full';
  const obs = new Int32Array(S);
  for (let q = 0; q <= c.q0; q++)
    for (let f1 = -1; f1 <= 1; f1++)
      for (let f2 = 0; f2 < B; f2++) {
        const s = index(q, f1, f2);
        inventory[s] = q;
        feasible[s] = q === 0 ? 0 : feasiblePrefix(c.actions, q);
        obs[s] = full ? s : q;
      }
  const outs: Outcome[] = Array.from({ length: K }, () => ({ p: 0, r: 0, next: 0 }));
  for (let t = 0; t < N; t++)
    for (let q = 0; q <= c.q0; q++)
      for (let f1 = -1; f1 <= 1; f1++)
        for (let f2 = 0; f2 < B; f2++) {
          const s = index(q, f1, f2);
          const law = xiLaw(c, f2);
          for (let ai = 0; ai < A; ai++) {
            if (ai >= (feasible[s] as number)) {
              w.dummy(t, s, ai);
              continue;
            }
            const a = c.actions[ai] as number;
            const L = q - a;
            let base = -c.k * a * a - running(c, L);
            if (t === N - 1) base -= c.terminalPenalty * L * L;
            // ξ-major, f2′-minor (spec §2's listed outcome order)
            for (let xi = -1; xi <= 1; xi++)
              for (let f2n = 0; f2n < B; f2n++) {
                const o = outs[(xi + 1) * B + f2n] as Outcome;
                o.p = (law[xi + 1] as number) / B;
                o.r = base + c.sigmaXi * a * xi;
                o.next = index(L, xi, f2n);
              }
            w.put(t, s, ai, outs);
          }
        }
  const size = envSize(c);
  const starts = Int32Array.from({ length: B }, (_, f2) => index(c.q0, 0, f2));
  const startProb = new Float64Array(B).fill(1 / B);
  const startCum = Float64Array.from({ length: B }, (_, i) => (i === B - 1 ? 1 : (i + 1) / B));
  const decode = (s: number) => {
    const f2 = s % B;
    const r = (s - f2) / B;
    const f1 = (r % 3) - 1;
    return { q: (r - (f1 + 1)) / 3, f1, f2 };
  };
  const obsFeasible = new Int32Array(size.obsStates);
  for (let s = 0; s < S; s++) obsFeasible[obs[s] as number] = feasible[s] as number;
  return {
    config: c,
    horizon: N,
    states: S,
    actions: A,
    outcomes: K,
    obsStates: size.obsStates,
    gamma: c.gamma,
    q0: c.q0,
    trans: w.trans,
    transI32: w.transI32,
    feasible,
    obs,
    obsFeasible,
    starts,
    startProb,
    startCum,
    inventory,
    ...sizeActions(c.actions),
    describe: decode,
    describeObs: full ? decode : (o) => ({ q: o }),
    stateOf: (f) => index(f.q ?? 0, f.f1 ?? 0, f.f2 ?? 0),
  };
}
