/**
 * Episodes of the order book on either engine, in chunks (a short first chunk so V8 tiers the WASM
 * kernel up before the long calls). Custom policies always run on the JS engine.
 */
import { jsScratch, lobEpisodes as lobEpisodesJs } from '../baseline/lob.js';
import { LobKernel } from '../kernels/lob.js';
import { Kernels } from '../kernels/wasm.js';
import { zigguratTables } from '../rng/ziggurat.js';
import { configBlock, initialState, intensityTable, type LobModel, paramBlock } from './config.js';
import { OUT_STRIDE } from './layout.js';
import type { LobPolicy } from './policies.js';

export type Engine = 'wasm' | 'js';

export interface EpisodeRange {
  readonly model: LobModel;
  readonly policy: LobPolicy;
  /** splitmix64(splitmix64(fnv1a64(experiment)) ^ run): episode e uses streamKey(experiment, run, e). */
  readonly base: bigint;
  readonly from: number;
  readonly to: number;
}

const CHUNK = 4096;
const FIRST_CHUNK = 64;

/** Records (OUT_STRIDE per episode) of episodes from..to−1. Throws on a non-finite intensity. */
export function runEpisodes(run: EpisodeRange, engine: Engine, module?: WebAssembly.Module): Float64Array {
  const { model, policy } = run;
  const code = policy.kind === 'builtin' ? policy.code : 0;
  const rho = policy.kind === 'builtin' ? policy.stickyRho : 0.8;
  const blocks = {
    cfg: configBlock(model, code),
    prm: paramBlock(model, rho),
    tbl: intensityTable(model),
    init: initialState(model),
  };
  const n = run.to - run.from;
  const out = new Float64Array(n * OUT_STRIDE);
  const fail = (status: number) => {
    if (status) throw new Error(`lob: non-finite or zero total intensity in episode ${status - 1}`);
  };
  if (engine === 'wasm' && policy.kind === 'builtin') {
    if (!module) throw new Error('quantrl: the wasm engine needs a compiled module');
    const kernel = new LobKernel(new Kernels(module), blocks, CHUNK);
    for (let from = run.from; from < run.to; ) {
      const to = Math.min(run.to, from + (from === run.from ? FIRST_CHUNK : CHUNK));
      fail(kernel.run(run.base, from, to));
      out.set(kernel.records(to - from), (from - run.from) * OUT_STRIDE);
      from = to;
    }
    return out;
  }
  const decide = policy.kind === 'custom' ? policy.decide : undefined;
  fail(
    lobEpisodesJs(
      blocks.cfg,
      blocks.prm,
      blocks.tbl,
      zigguratTables(),
      blocks.init,
      jsScratch(),
      out,
      run.base,
      run.from,
      run.to,
      decide,
    ),
  );
  return out;
}
