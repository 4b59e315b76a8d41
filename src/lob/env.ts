/**
 * `MarketMakingEnv`: a Gymnasium-style environment over the order book of src/baseline/lob.ts (the
 * kernel's bit-identical twin), for users who write their own market-making agent.
 *
 * One step = one decision epoch of the jump-time MDP: the agent's action is applied to the
 * pre-decision state Z_n, the waiting time is drawn at the post-decision intensities, and either the
 * horizon T comes first (`terminated`: MM orders cancelled, inventory liquidated by g) or the next
 * event arrives and Z_{n+1} is observed. The episode stops early at the configured max-events cap
 * (`truncated`: closed out by g as well, the spec's default Φ = g).
 *
 * Reward: the change of the mark-to-market value g(z) = x + L(y) − η·y² (cash plus the liquidation
 * value of the inventory against the others' book, MM orders cancelled first). g(Z_0) = 0, so an
 * episode's rewards sum to the simulator's terminal reward (exactly: all terms are integers when η = 0).
 *
 * Streams: `reset({ seed })` selects the stream family streamKey(experiment, seed, ·) and episode 0;
 * every later `reset()` moves to the next episode index. Episode e draws from streamKey(experiment,
 * seed, e) in the simulator's order, so with the default experiment 'lob/evaluate' and seed = run,
 * episodes are those `quantrl lob simulate|compare --run <run>` evaluates (common random numbers).
 * `baselineAction` draws the built-in baselines' words from that same stream, so they reproduce the
 * simulator's episodes bit for bit.
 *
 * Gymnasium's contract, as kept here:
 * - `reset(options?)` → `{ observation, info }`; `step(action)` → `{ observation, reward, terminated,
 *   truncated, info }`. After `terminated || truncated`, `step` throws until `reset` is called.
 * - `terminated`: the MDP ended (t reached T); nothing to bootstrap. `truncated`: the max-events cap cut
 *   the episode; the close-out is already in the reward.
 * - Spaces are plain objects: `actionSpace` Discrete(n) over the action class (A1lim 4, A2lim 9,
 *   A2lim-16 16), `observationSpace` a Box with per-component bounds and names. Every action index is
 *   admissible in every state (actions are relative to the current quotes), so `info.actionMask` is
 *   all ones; an index outside the space is an error, never clamped.
 */
import {
  applyAction,
  applyAction16,
  applyEvent,
  type BookSettings,
  bookSettings,
  cancelAll,
  cancelQueue,
  cancelRank,
  liquidation,
  rates,
  selectEvent,
} from '../baseline/lob-book.js';
import {
  baseHalves,
  expFast,
  expSlow,
  nextWord,
  OUT_HI,
  OUT_LO,
  seedEpisode,
  unitFromWord,
} from '../baseline/rng.js';
import { streamBase } from '../rng/streams.js';
import { type ZigguratTables, zigguratTables } from '../rng/ziggurat.js';
import { configBlock, initialState, paramBlock } from './blocks.js';
import { intensityTable } from './intensities.js';
import {
  C_ACTIONS,
  C_CANCEL,
  C_COUNTS_MM,
  C_LIQUIDATION,
  C_MAX_EVENTS,
  CANCEL_AHEAD,
  CANCEL_UNIFORM,
  O_CAPPED,
  O_EVENTS,
  O_FILLS_ASK,
  O_FILLS_BID,
  O_HITS,
  O_PNL,
  O_QUOTE_ASK,
  O_QUOTE_BID,
  O_RESERVOIR_TIME,
  O_REWARD,
  O_Y,
  OUT_STRIDE,
  P_ETA,
  P_T,
  RATES_LEN,
  S_A,
  S_ASK_PRICE,
  S_ASK_RANK,
  S_ASK2_PRICE,
  S_ASK2_RANK,
  S_B,
  S_BID_PRICE,
  S_BID_RANK,
  S_BID2_PRICE,
  S_BID2_RANK,
  S_HITS,
  S_PA,
  S_PB,
  S_X,
  S_Y,
  STATE_SLOTS,
} from './layout.js';
import type { LobModel } from './model.js';
import type { PolicyName } from './policies.js';

/** The experiment id of the CLI's evaluation streams (`quantrl lob simulate|compare`). */
export const LOB_EVALUATE_EXPERIMENT = 'lob/evaluate';

/** Number of actions of an action class code (0 A1lim, 1 A2lim, 2 A2lim-16). */
export function actionCount(actionClass: number): number {
  return actionClass === 0 ? 4 : actionClass === 1 ? 9 : 16;
}

/**
 * Per-side labels of an action index, the kernel's encoding: A1lim (ask, bid) ∈ {0,1}² as 2·ask + bid;
 * A2lim labels {0 none, 1 L1, 2 L2} as 3·ask + bid; A2lim-16 masks (bit 0 L1, bit 1 L2) as 4·ask + bid.
 */
export function actionSides(actionClass: number, a: number): readonly [ask: number, bid: number] {
  if (actionClass === 0) return [a >> 1, a & 1];
  if (actionClass === 1) return [(a / 3) | 0, a % 3];
  return [a >> 2, a & 3];
}

/** Human-readable labels of the actions of a class, in index order. */
export function actionLabels(actionClass: number): string[] {
  const side = (v: number) =>
    actionClass === 2 ? ['none', 'L1', 'L2', 'L1+L2'][v] : ['none', 'L1', 'L2'][v];
  return Array.from({ length: actionCount(actionClass) }, (_, a) => {
    const [ask, bid] = actionSides(actionClass, a);
    return `ask ${side(ask)} / bid ${side(bid)}`;
  });
}

// ---- flat observation layout (also written by the vector kernel, assembly/lob/vector-env.ts) ----
export const OBS_TIME_TO_GO = 0;
export const OBS_SPREAD = 1;
export const OBS_INVENTORY = 2;
export const OBS_CASH = 3;
export const OBS_BEST_BID = 4;
/** a[1..K] follow at OBS_QUEUES, then b[1..K], then the MM order slots. */
export const OBS_QUEUES = 5;
/** The four MM order slots, in this order, three values each: present (0/1), offset, rank. */
export const ORDER_SLOTS = ['ask', 'bid', 'ask2', 'bid2'] as const;

const PRICE_SLOTS = [S_ASK_PRICE, S_BID_PRICE, S_ASK2_PRICE, S_BID2_PRICE];

/** Length of the flat observation for frame depth K: 5 + 2K + 12. */
export function observationSize(K: number): number {
  return OBS_QUEUES + 2 * K + 3 * ORDER_SLOTS.length;
}

/**
 * Writes the flat observation of state `st` at `out[at…]`: time to go, spread, inventory, cash, best
 * bid, others' queues a[1..K] and b[1..K], then per MM order slot (ask, bid, ask2, bid2) its presence,
 * its offset in ticks behind its side's best quote (0 = at the best) and its rank (0 when absent).
 */
export function writeObservation(
  st: Int32Array,
  K: number,
  timeToGo: number,
  out: Float64Array,
  at: number,
): void {
  const pb = st[S_PB] as number,
    pa = st[S_PA] as number;
  out[at + OBS_TIME_TO_GO] = timeToGo;
  out[at + OBS_SPREAD] = pa - pb;
  out[at + OBS_INVENTORY] = st[S_Y] as number;
  out[at + OBS_CASH] = st[S_X] as number;
  out[at + OBS_BEST_BID] = pb;
  for (let i = 0; i < K; i++) {
    out[at + OBS_QUEUES + i] = st[S_A + i] as number;
    out[at + OBS_QUEUES + K + i] = st[S_B + i] as number;
  }
  for (let k = 0; k < 4; k++) {
    const p = PRICE_SLOTS[k] as number;
    const rank = st[p + 1] as number;
    const o = at + OBS_QUEUES + 2 * K + 3 * k;
    const on = rank > 0;
    out[o] = on ? 1 : 0;
    out[o + 1] = on ? (k % 2 === 0 ? (st[p] as number) - pa : pb - (st[p] as number)) : 0;
    out[o + 2] = on ? rank : 0;
  }
}

export interface OrderView {
  readonly present: boolean;
  /** Ticks behind the side's best quote (0 = at the best). */
  readonly offset: number;
  /** 1 = next to trade; 0 when absent. */
  readonly rank: number;
}

/** The AHP state as a typed record, plus the same numbers as a flat vector (`observationSpace.names`). */
export interface MarketMakingObservation {
  readonly timeToGo: number;
  readonly spread: number;
  readonly bestBid: number;
  readonly bestAsk: number;
  readonly inventory: number;
  readonly cash: number;
  /** Others' units at pb + i, i = 1..K (the ask frame). */
  readonly askQueues: readonly number[];
  /** Others' units at pa − j, j = 1..K (the bid frame). */
  readonly bidQueues: readonly number[];
  readonly orders: Readonly<Record<(typeof ORDER_SLOTS)[number], OrderView>>;
  readonly vector: Float64Array;
}

function orderAt(v: Float64Array, o: number): OrderView {
  return { present: v[o] === 1, offset: v[o + 1] as number, rank: v[o + 2] as number };
}

/** Reads a flat observation back as the typed record (works on any view, e.g. a vector env's row). */
export function observationRecord(v: Float64Array, K: number): MarketMakingObservation {
  const askQueues: number[] = new Array(K);
  const bidQueues: number[] = new Array(K);
  for (let i = 0; i < K; i++) {
    askQueues[i] = v[OBS_QUEUES + i] as number;
    bidQueues[i] = v[OBS_QUEUES + K + i] as number;
  }
  const o = OBS_QUEUES + 2 * K;
  const bestBid = v[OBS_BEST_BID] as number;
  const spread = v[OBS_SPREAD] as number;
  return {
    timeToGo: v[OBS_TIME_TO_GO] as number,
    spread,
    bestBid,
    bestAsk: bestBid + spread,
    inventory: v[OBS_INVENTORY] as number,
    cash: v[OBS_CASH] as number,
    askQueues,
    bidQueues,
    orders: { ask: orderAt(v, o), bid: orderAt(v, o + 3), ask2: orderAt(v, o + 6), bid2: orderAt(v, o + 9) },
    vector: v,
  };
}

export interface DiscreteSpace {
  readonly type: 'Discrete';
  readonly n: number;
  readonly labels: readonly string[];
}

export interface BoxSpace {
  readonly type: 'Box';
  readonly shape: readonly number[];
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly names: readonly string[];
}

/** The Box of the flat observation for a model. */
export function marketMakingObservationSpace(m: LobModel): BoxSpace {
  const K = m.K;
  const n = observationSize(K);
  const low = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const high = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const names = ['timeToGo', 'spread', 'inventory', 'cash', 'bestBid'];
  low[OBS_TIME_TO_GO] = 0;
  high[OBS_TIME_TO_GO] = m.T;
  low[OBS_SPREAD] = 1;
  high[OBS_SPREAD] = K + 1;
  for (let i = 0; i < 2 * K; i++) low[OBS_QUEUES + i] = 0;
  for (let i = 1; i <= K; i++) names.push(`ask${i}`);
  for (let j = 1; j <= K; j++) names.push(`bid${j}`);
  ORDER_SLOTS.forEach((slot, k) => {
    const o = OBS_QUEUES + 2 * K + 3 * k;
    low[o] = 0;
    high[o] = 1;
    low[o + 1] = 0;
    high[o + 1] = K - 1;
    low[o + 2] = 0;
    names.push(`${slot}Present`, `${slot}Offset`, `${slot}Rank`);
  });
  return { type: 'Box', shape: [n], low, high, names };
}

/** Episode statistics at the end of an episode: the simulator's record, by name and as the raw record. */
export interface EpisodeStats {
  readonly pnl: number;
  readonly reward: number;
  readonly inventory: number;
  readonly events: number;
  readonly fillsAsk: number;
  readonly fillsBid: number;
  readonly quoteAsk: number;
  readonly quoteBid: number;
  readonly boundaryHits: number;
  readonly capped: boolean;
  readonly reservoirTime: number;
  /** OUT_STRIDE values in the simulator's record layout (src/lob/layout.ts O_*). */
  readonly record: Float64Array;
}

export function episodeStats(rec: Float64Array): EpisodeStats {
  return {
    pnl: rec[O_PNL] as number,
    reward: rec[O_REWARD] as number,
    inventory: rec[O_Y] as number,
    events: rec[O_EVENTS] as number,
    fillsAsk: rec[O_FILLS_ASK] as number,
    fillsBid: rec[O_FILLS_BID] as number,
    quoteAsk: rec[O_QUOTE_ASK] as number,
    quoteBid: rec[O_QUOTE_BID] as number,
    boundaryHits: rec[O_HITS] as number,
    capped: rec[O_CAPPED] === 1,
    reservoirTime: rec[O_RESERVOIR_TIME] as number,
    record: rec,
  };
}

export interface MarketMakingInfo {
  readonly actionMask: Uint8Array;
  /** Events so far in the episode, and the physical time. */
  readonly events: number;
  readonly time: number;
  readonly episodeIndex: number;
  /** Present on the step that ends the episode. */
  readonly episode?: EpisodeStats;
}

export interface MarketMakingStep {
  readonly observation: MarketMakingObservation;
  readonly reward: number;
  readonly terminated: boolean;
  readonly truncated: boolean;
  readonly info: MarketMakingInfo;
}

export interface MarketMakingOptions {
  /** Stream family (default 'lob/evaluate', the CLI's evaluation streams). */
  readonly experiment?: string;
}

export class MarketMakingEnv {
  readonly model: LobModel;
  readonly actionSpace: DiscreteSpace;
  readonly observationSpace: BoxSpace;
  readonly experiment: string;
  private readonly book: BookSettings;
  private readonly actionClass: number;
  private readonly cancelMode: number;
  private readonly countsMM: boolean;
  private readonly plusTick: boolean;
  private readonly maxEvents: number;
  private readonly T: number;
  private readonly eta: number;
  private readonly tbl: Float64Array;
  private readonly init: Int32Array;
  private readonly zig: ZigguratTables;
  private readonly mask: Uint8Array;
  private readonly st = new Int32Array(STATE_SLOTS);
  private readonly scratchState = new Int32Array(STATE_SLOTS);
  private readonly rng = new Int32Array(10);
  private readonly r = new Float64Array(RATES_LEN);
  private baseHi = 0;
  private baseLo = 0;
  private seeded = false;
  private episode = -1;
  private t = 0;
  private n = 0;
  private value = 0;
  private fillsAsk = 0;
  private fillsBid = 0;
  private quoteAsk = 0;
  private quoteBid = 0;
  private reservoirTime = 0;
  private prev = 0;
  private done = true;

  constructor(model: LobModel, options: MarketMakingOptions = {}) {
    this.model = model;
    this.experiment = options.experiment ?? LOB_EVALUATE_EXPERIMENT;
    const cfg = configBlock(model);
    const prm = paramBlock(model);
    this.book = bookSettings(cfg);
    this.actionClass = cfg[C_ACTIONS] as number;
    this.cancelMode = cfg[C_CANCEL] as number;
    this.countsMM = cfg[C_COUNTS_MM] !== 0;
    this.plusTick = cfg[C_LIQUIDATION] !== 0;
    this.maxEvents = cfg[C_MAX_EVENTS] as number;
    this.T = prm[P_T] as number;
    this.eta = prm[P_ETA] as number;
    this.tbl = intensityTable(model);
    this.init = initialState(model);
    this.zig = zigguratTables();
    const n = actionCount(this.actionClass);
    this.mask = new Uint8Array(n).fill(1);
    this.actionSpace = { type: 'Discrete', n, labels: actionLabels(this.actionClass) };
    this.observationSpace = marketMakingObservationSpace(model);
  }

  /**
   * Starts an episode. `seed` selects the stream family (and episode 0 unless `episode` is given);
   * without a seed the next episode index of the current family is used (seed 0 if none yet).
   */
  reset(options: { seed?: number; episode?: number } = {}): {
    observation: MarketMakingObservation;
    info: MarketMakingInfo;
  } {
    if (options.seed !== undefined || !this.seeded) {
      const seed = options.seed ?? 0;
      if (!Number.isInteger(seed) || seed < 0)
        throw new RangeError(`MarketMakingEnv.reset: seed must be a non-negative integer (got ${seed})`);
      [this.baseHi, this.baseLo] = baseHalves(streamBase(this.experiment, seed));
      this.seeded = true;
      this.episode = -1;
    }
    this.episode = options.episode ?? this.episode + 1;
    if (!Number.isInteger(this.episode) || this.episode < 0 || this.episode > 0x7fffffff)
      throw new RangeError(
        `MarketMakingEnv.reset: episode must be an integer in [0, 2^31) (got ${this.episode})`,
      );
    seedEpisode(this.rng, this.baseHi, this.baseLo, this.episode);
    this.st.set(this.init);
    this.st[S_HITS] = 0;
    this.t = 0;
    this.n = 0;
    this.fillsAsk = 0;
    this.fillsBid = 0;
    this.quoteAsk = 0;
    this.quoteBid = 0;
    this.reservoirTime = 0;
    this.prev = 0;
    this.value = this.markToMarket();
    this.done = false;
    return { observation: this.observation(), info: this.info() };
  }

  step(action: number): MarketMakingStep {
    if (this.done)
      throw new Error(
        'MarketMakingEnv.step: the episode has ended (terminated or truncated); call reset() first',
      );
    const nA = this.actionSpace.n;
    if (!Number.isInteger(action) || action < 0 || action >= nA)
      throw new RangeError(
        `MarketMakingEnv.step: action ${String(action)} is outside the action space Discrete(${nA}) (env 0)`,
      );
    const st = this.st,
      b = this.book,
      K = b.K;
    const [ask, bid] = actionSides(this.actionClass, action);
    if (this.actionClass === 2) applyAction16(st, ask, bid, b);
    else if (
      !(
        ask === 1 &&
        bid === 1 &&
        (st[S_ASK_RANK] as number) > 0 &&
        st[S_ASK_PRICE] === st[S_PA] &&
        (st[S_BID_RANK] as number) > 0 &&
        st[S_BID_PRICE] === st[S_PB]
      )
    ) {
      // (1, 1) with both orders already at the best is a no-op, skipped as the simulator does.
      applyAction(st, ask, bid, b);
    }
    const lam = rates(st, this.tbl, this.r, K, this.countsMM);
    if (!(lam > 0) || !Number.isFinite(lam))
      throw new Error(`MarketMakingEnv: non-finite or zero total intensity in episode ${this.episode}`);
    const rng = this.rng;
    nextWord(rng);
    let eps = expFast(rng[OUT_HI] as number, rng[OUT_LO] as number, this.zig);
    if (Number.isNaN(eps)) eps = expSlow(rng, rng[OUT_HI] as number, rng[OUT_LO] as number, this.zig);
    const tau = eps / lam;
    const askOn = (st[S_ASK_RANK] as number) > 0 || (st[S_ASK2_RANK] as number) > 0;
    const bidOn = (st[S_BID_RANK] as number) > 0 || (st[S_BID2_RANK] as number) > 0;
    const inReservoir = (st[S_PA] as number) - (st[S_PB] as number) > K;
    if (this.t + tau > this.T) {
      const rest = this.T - this.t;
      if (askOn) this.quoteAsk += rest;
      if (bidOn) this.quoteBid += rest;
      if (inReservoir) this.reservoirTime += rest;
      this.t = this.T;
      return this.finish(false);
    }
    if (askOn) this.quoteAsk += tau;
    if (bidOn) this.quoteBid += tau;
    if (inReservoir) this.reservoirTime += tau;
    this.t += tau;
    nextWord(rng);
    const e = selectEvent(this.r, K, unitFromWord(rng[OUT_HI] as number, rng[OUT_LO] as number) * lam);
    let ahead = false;
    const rank = cancelRank(st, e, K);
    if (rank > 1) {
      if (this.cancelMode === CANCEL_UNIFORM) {
        nextWord(rng);
        ahead = unitFromWord(rng[OUT_HI] as number, rng[OUT_LO] as number) * cancelQueue(st, e, K) < rank - 1;
      } else ahead = this.cancelMode === CANCEL_AHEAD;
    }
    const fill = applyEvent(st, e, ahead, b);
    if (fill === 1) this.fillsAsk++;
    else if (fill === 2) this.fillsBid++;
    this.n++;
    if (this.n === this.maxEvents) return this.finish(true);
    const value = this.markToMarket();
    const reward = value - this.value;
    this.value = value;
    return {
      observation: this.observation(),
      reward,
      terminated: false,
      truncated: false,
      info: this.info(),
    };
  }

  /**
   * The action a built-in baseline takes now, drawing its words from the episode's stream exactly as
   * the simulator does ("random": one word; "sticky": one, plus one when it redraws). Call it once per
   * step, before `step`.
   */
  baselineAction(name: PolicyName, stickyRho = 0.8): number {
    if (this.done)
      throw new Error('MarketMakingEnv.baselineAction: the episode has ended; call reset() first');
    const y = this.st[S_Y] as number;
    const ac = this.actionClass;
    const encode = (ask: number, bid: number) =>
      ac === 0 ? 2 * ask + bid : ac === 1 ? 3 * ask + bid : 4 * ask + bid;
    switch (name) {
      case '00':
        return 0;
      case '11':
        return encode(1, 1);
      case 'skew':
        return encode(y >= 0 ? 1 : 0, y <= 0 ? 1 : 0);
      case 'random':
      case 'sticky': {
        const rng = this.rng;
        nextWord(rng);
        let redraw = true;
        if (name === 'sticky' && this.n > 0) {
          redraw = unitFromWord(rng[OUT_HI] as number, rng[OUT_LO] as number) >= stickyRho;
          if (redraw) nextWord(rng);
        }
        if (redraw)
          this.prev = Math.trunc(
            unitFromWord(rng[OUT_HI] as number, rng[OUT_LO] as number) * this.actionSpace.n,
          );
        return this.prev;
      }
    }
  }

  /** g of the current state with MM orders cancelled (on a copy): x + L(y) − η·y². */
  private markToMarket(): number {
    const c = this.scratchState;
    c.set(this.st);
    cancelAll(c, this.book);
    const y = c[S_Y] as number;
    const pnl = (c[S_X] as number) + liquidation(c, y, this.book, this.plusTick);
    return pnl - this.eta * y * y;
  }

  /** Ends the episode: cancel, liquidate, and report the simulator's record. */
  private finish(capped: boolean): MarketMakingStep {
    const st = this.st;
    cancelAll(st, this.book);
    const y = st[S_Y] as number;
    const pnl = (st[S_X] as number) + liquidation(st, y, this.book, this.plusTick);
    const g = pnl - this.eta * y * y;
    const rec = new Float64Array(OUT_STRIDE);
    rec[O_PNL] = pnl;
    rec[O_REWARD] = g;
    rec[O_Y] = y;
    rec[O_EVENTS] = this.n;
    rec[O_FILLS_ASK] = this.fillsAsk;
    rec[O_FILLS_BID] = this.fillsBid;
    rec[O_QUOTE_ASK] = this.quoteAsk;
    rec[O_QUOTE_BID] = this.quoteBid;
    rec[O_HITS] = st[S_HITS] as number;
    rec[O_CAPPED] = capped ? 1 : 0;
    rec[O_RESERVOIR_TIME] = this.reservoirTime;
    const reward = g - this.value;
    this.value = g;
    this.done = true;
    return {
      observation: this.observation(),
      reward,
      terminated: !capped,
      truncated: capped,
      info: { ...this.info(), episode: episodeStats(rec) },
    };
  }

  private observation(): MarketMakingObservation {
    const v = new Float64Array(this.observationSpace.shape[0] as number);
    writeObservation(this.st, this.book.K, this.T - this.t, v, 0);
    return observationRecord(v, this.book.K);
  }

  private info(): MarketMakingInfo {
    return { actionMask: this.mask, events: this.n, time: this.t, episodeIndex: this.episode };
  }
}
