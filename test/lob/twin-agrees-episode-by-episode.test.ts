// The JS twin reproduces the kernel episode by episode, bit for bit (same stream, same tables, same
// operation order), across regimes, policies and options.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileKernels } from '../../src/kernels/wasm.js';
import { runEpisodes } from '../../src/lob/engines.js';
import { streamBase } from '../../src/lob/harness.js';
import { type LobModel, resolveModel } from '../../src/lob/model.js';
import { builtinPolicy, POLICY_NAMES } from '../../src/lob/policies.js';
import { BUILDS } from '../support/builds.js';

const MODELS: [string, LobModel][] = [
  ['R-const', resolveModel('const')],
  [
    'R-const reservoir, trend 0.3, walk+1',
    resolveModel('const', { boundary: 'reservoir', trend: 0.3, liquidation: 'walk_plus_one_tick' }),
  ],
  ['R-hlr-dev A2lim, countsMM', resolveModel('hlr-dev', { actions: 'A2lim', intensityCountsMM: true })],
  [
    'R-const A2lim, l2 one_tick, reservoir',
    resolveModel('const', { actions: 'A2lim', l2: 'one_tick', boundary: 'reservoir' }),
  ],
  ['R-ahp A2lim, N = 40, η = 0.1', resolveModel('ahp', { actions: 'A2lim', maxEvents: 40, eta: 0.1 })],
  ['R-const, cancel rule "ahead"', resolveModel('const', { cancelRule: 'ahead' })],
  ['R-hlr-dev A2lim-16, reservoir', resolveModel('hlr-dev', { actions: 'A2lim16' })],
  ['R-ahp A2lim, peg', resolveModel('ahp', { actions: 'A2lim', peg: true })],
];

describe.each(BUILDS)('JS twin vs WASM kernel (%s build)', (build) => {
  let module: WebAssembly.Module;
  beforeAll(async () => {
    module = await compileKernels(build);
  });

  it.each(MODELS)('%s: identical records for every built-in policy over 300 episodes', (_name, model) => {
    const base = streamBase('test/lob/twin', 7);
    for (const name of POLICY_NAMES) {
      const run = {
        model,
        policy: builtinPolicy(name),
        study: 'test/lob/twin',
        run: 7,
        base,
        from: 100,
        to: 400,
      };
      const wasm = runEpisodes(run, 'wasm', module);
      const js = runEpisodes(run, 'js');
      expect({ name, records: Array.from(js) }).toEqual({ name, records: Array.from(wasm) });
    }
  });
});
