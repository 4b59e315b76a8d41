/**
 * Order-book simulator: ns per event for the WASM kernel and its TS twin on the same streams — R-const,
 * policy "11", whole batches of episodes per call (the Gillespie loop with a decision after every event),
 * engines timed interleaved, round by round (bench-line.ts).
 */
import { jsScratch, lobEpisodes as lobEpisodesJs } from '../src/baseline/lob-episodes.js';
import { LobKernel } from '../src/kernels/lob.js';
import { compileKernels, Kernels } from '../src/kernels/wasm.js';
import { configBlock, initialState, paramBlock } from '../src/lob/blocks.js';
import { streamBase } from '../src/lob/harness.js';
import { intensityTable } from '../src/lob/intensities.js';
import { O_EVENTS, OUT_STRIDE, POLICY_11 } from '../src/lob/layout.js';
import { resolveModel } from '../src/lob/model.js';
import { zigguratTables } from '../src/rng/ziggurat.js';
import { type BenchLine, type Timing, timeInterleaved } from './bench-line.js';

const WASM_EPISODES = 40_000;
const JS_EPISODES = 10_000;

function countEvents(records: Float64Array, episodes: number): number {
  let n = 0;
  for (let e = 0; e < episodes; e++) n += records[e * OUT_STRIDE + O_EVENTS] as number;
  return n;
}

export async function lobBench(): Promise<BenchLine[]> {
  const model = resolveModel('const');
  const blocks = {
    cfg: configBlock(model, POLICY_11),
    prm: paramBlock(model),
    tbl: intensityTable(model),
    init: initialState(model),
  };
  const base = streamBase('bench/lob', 0);

  const kernel = new LobKernel(new Kernels(await compileKernels('release')), blocks, WASM_EPISODES);
  kernel.run(base, 0, 2000); // short warm-up call: WASM has no on-stack replacement
  const z = zigguratTables();
  const scratch = jsScratch();
  const out = new Float64Array(JS_EPISODES * OUT_STRIDE);
  const t = timeInterleaved(
    {
      wasm: { run: () => kernel.run(base, 0, WASM_EPISODES) },
      js: {
        run: () =>
          lobEpisodesJs(
            blocks.cfg,
            blocks.prm,
            blocks.tbl,
            z,
            blocks.init,
            scratch,
            out,
            base,
            0,
            JS_EPISODES,
          ),
      },
    },
    9,
    1,
  );
  const wasmEvents = countEvents(kernel.records(WASM_EPISODES), WASM_EPISODES);
  const jsEvents = countEvents(out, JS_EPISODES);

  const line = (
    engine: BenchLine['engine'],
    { medianMs, minMs, reps }: Timing,
    events: number,
  ): BenchLine => ({
    kernel: 'lob',
    engine,
    ns_per_event: (medianMs * 1e6) / events,
    events_per_s: events / (medianMs / 1000),
    events,
    speedup_vs_js: t.js.medianMs / jsEvents / (medianMs / events),
    ns_per_event_min: (minMs * 1e6) / events,
    reps,
  });
  return [line('wasm', t.wasm, wasmEvents), line('js', t.js, jsEvents)];
}
