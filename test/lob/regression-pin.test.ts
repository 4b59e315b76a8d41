// Regression pin of the order-book kernel's exact output. The expected digests were computed by the
// kernel as it was before the issue-14 speed rewrite (commit a753bf1); the twin agreement is tested
// separately (twin-agrees-episode-by-episode), so these pins hold the rewrite to the same bytes.
import { beforeAll, describe, expect, it } from 'vitest';
import { LobKernel } from '../../src/kernels/lob.js';
import { compileKernels, Kernels } from '../../src/kernels/wasm.js';
import { configBlock, initialState, paramBlock } from '../../src/lob/blocks.js';
import { runEpisodes } from '../../src/lob/engines.js';
import { streamBase } from '../../src/lob/harness.js';
import { intensityTable } from '../../src/lob/intensities.js';
import { type LobModel, resolveModel } from '../../src/lob/model.js';
import { builtinPolicy, POLICY_NAMES } from '../../src/lob/policies.js';
import { streamKey } from '../../src/rng/streams.js';
import { BUILDS } from '../support/builds.js';
import { sha256 } from '../support/digest.js';

const MODELS: [string, LobModel][] = [
  ['R-const', resolveModel('const')],
  ['R-const reservoir', resolveModel('const', { boundary: 'reservoir', trend: 0.3 })],
  [
    'R-hlr-dev (queue-reactive) A2lim, countsMM',
    resolveModel('hlr-dev', { actions: 'A2lim', intensityCountsMM: true }),
  ],
  ['R-ahp A2lim, N = 40, η = 0.1', resolveModel('ahp', { actions: 'A2lim', maxEvents: 40, eta: 0.1 })],
  [
    'R-const, cancel rule "ahead", one-tick L2',
    resolveModel('const', { cancelRule: 'ahead', actions: 'A2lim', l2: 'one_tick' }),
  ],
  ['R-hlr-dev A2lim-16', resolveModel('hlr-dev', { actions: 'A2lim16' })],
  ['R-ahp A2lim, peg', resolveModel('ahp', { actions: 'A2lim', peg: true })],
];

describe.each(BUILDS)('order-book kernel output pinned (%s build)', (build) => {
  let module: WebAssembly.Module;
  beforeAll(async () => {
    module = await compileKernels(build);
  });

  it.each(MODELS)('%s: episode records of every built-in policy', (name, model) => {
    const base = streamBase('test/lob/pin', 3);
    const parts = POLICY_NAMES.map((name) =>
      runEpisodes(
        { model, policy: builtinPolicy(name), study: 'test/lob/pin', run: 3, base, from: 0, to: 2000 },
        'wasm',
        module,
      ),
    );
    expect(sha256(...parts)).toBe(EPISODES[name]);
  });

  it.each(MODELS)('%s: successors along a sampled path', (name, model) => {
    const k = new LobKernel(new Kernels(module), {
      cfg: configBlock(model, 1),
      prm: paramBlock(model),
      tbl: intensityTable(model),
      init: initialState(model),
    });
    k.setState(initialState(model));
    k.seed(streamKey('test/lob/pin/successors', 0, 0));
    const parts: ArrayBufferView[] = [];
    for (let i = 0; i < 300; i++) {
      if (i % 7 === 0 && model.actions === 'A2lim16') k.applyAction16(i % 4, (i >> 2) % 4);
      else if (i % 7 === 0) k.applyAction(i % 3, (i >> 1) % 3);
      const s = k.successors();
      parts.push(Float64Array.of(s.lam), s.probs, s.codes, ...s.states);
      parts.push(Int32Array.of(k.sampleEvent()));
    }
    expect(sha256(...parts)).toBe(SUCCESSORS[name]);
  });
});

const EPISODES: Record<string, string> = {
  'R-ahp A2lim, N = 40, \u03b7 = 0.1': '18859cd7061f4c987d2f2cd5a946ba7375de97da4de3bacaffb6b7104087ccf5',
  'R-ahp A2lim, peg': '361cd7ee58b8308c6361031027bbf0df482cd2ab5348d6e55d7426fa42729a60',
  'R-const reservoir': 'ab0fa04e498ebd8d1afe5e37c6cb25b29e7c64874d98c2844a620eca7adee29f',
  'R-const': 'adab294641d8ea0a8ec37246f7fd849fecd0dc336dea5c71cd8d67455aeeb20a',
  'R-const, cancel rule "ahead", one-tick L2':
    '76af68ac52ad705931449ca400a1740cc6505be9f7fdba258d59f27755bc1a9f',
  'R-hlr-dev (queue-reactive) A2lim, countsMM':
    '2eed778aee06fd83f6f8f41956e46de0cba16e2c5d0f635c01e24e82f6a45b9a',
  'R-hlr-dev A2lim-16': '1c65f4f11ec44adbbec9c5497157bd2ce048fc4ad0252702abf8859eb83341a1',
};

const SUCCESSORS: Record<string, string> = {
  'R-ahp A2lim, N = 40, \u03b7 = 0.1': '516ce112a1b5f1374374120f0aa914efb862659cf265ec1269d94e6073b75d0b',
  'R-ahp A2lim, peg': 'f70e26039c7c8d288f62caf2f88ba80b438ec7ad9c0f3221db6d830c2183a7df',
  'R-const reservoir': '3d210019af16af914717ba05500434b2283607b363332b8dcd2f80c74bc5021b',
  'R-const': 'eb4a81db66ac13eee8bbc894e470cb569bc6a4a9f10817d0cccf63c39e21891b',
  'R-const, cancel rule "ahead", one-tick L2':
    '9f7824b9839149a7dc8c806789f860715e2343272fe42872b1588a6406dda3ef',
  'R-hlr-dev (queue-reactive) A2lim, countsMM':
    '3931f3cf2a60ae7941c6b87f46d788f3e5be8eb759e884e09b0d4ad21852f107',
  'R-hlr-dev A2lim-16': '1bf5d4b5c41558183f603f03f986fe95af502b3ca1de2c0ead52faf97213482d',
};
