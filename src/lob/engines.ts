/**
 * Episodes of the order book on either engine, in chunks (a short first chunk so V8 tiers the WASM
 * kernel up before the long calls). Custom policies always run on the JS engine.
 */
import { jsScratch, lobEpisodes as lobEpisodesJs } from '../baseline/lob-episodes.js';
import { checkStatus, requireModule, runChunked, type ScalarEngine } from '../kernels/engine.js';
import { LobKernel } from '../kernels/lob.js';
import { Kernels } from '../kernels/wasm.js';
import { zigguratTables } from '../rng/ziggurat.js';
import { configBlock, initialState, paramBlock } from './blocks.js';
import { intensityTable } from './intensities.js';
import { OUT_STRIDE } from './layout.js';
import type { LobModel } from './model.js';
import type { LobPolicy } from './policies.js';

export interface EpisodeRange {
  readonly model: LobModel;
  readonly policy: LobPolicy;
  /** Names the run in a NumericError. */
  readonly study: string;
  readonly run: number;
  /** splitmix64(splitmix64(fnv1a64(experiment)) ^ run): episode e uses streamKey(experiment, run, e). */
  readonly base: bigint;
  readonly from: number;
  readonly to: number;
}

const CHUNK = 4096;
const FIRST_CHUNK = 64;

/** Records (OUT_STRIDE per episode) of episodes from..to−1. Throws a NumericError on a non-finite intensity. */
export function runEpisodes(
  run: EpisodeRange,
  engine: ScalarEngine,
  module?: WebAssembly.Module,
): Float64Array {
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
  let status: number;
  if (engine === 'wasm' && policy.kind === 'builtin') {
    const kernel = new LobKernel(new Kernels(requireModule(module)), blocks, CHUNK);
    const plan = { from: run.from, to: run.to, first: FIRST_CHUNK, chunk: CHUNK };
    status = runChunked(
      plan,
      (from, to) => kernel.run(run.base, from, to),
      (from, to) => out.set(kernel.records(to - from), (from - run.from) * OUT_STRIDE),
    );
  } else {
    const decide = policy.kind === 'custom' ? policy.decide : undefined;
    status = lobEpisodesJs(
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
    );
  }
  checkStatus(status, { study: run.study, run: run.run }, 'episode');
  return out;
}
