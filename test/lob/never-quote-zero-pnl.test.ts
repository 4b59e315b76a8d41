// Spec §5.3 sanity: the "00" policy never trades, so its P&L is exactly 0 in every episode and regime
// (R-ahp starts with MM orders: "00" cancels them at time 0).
import { beforeAll, describe, expect, it } from 'vitest';
import { compileKernels } from '../../src/kernels/wasm.js';
import { runEpisodes } from '../../src/lob/engines.js';
import { streamBase } from '../../src/lob/harness.js';
import {
  O_FILLS_ASK,
  O_FILLS_BID,
  O_PNL,
  O_QUOTE_ASK,
  O_QUOTE_BID,
  OUT_STRIDE,
} from '../../src/lob/layout.js';
import { REGIMES, resolveModel } from '../../src/lob/model.js';
import { builtinPolicy } from '../../src/lob/policies.js';

describe('never quoting', () => {
  let module: WebAssembly.Module;
  beforeAll(async () => {
    module = await compileKernels('release');
  });

  it.each(REGIMES)('%s: P&L ≡ 0, no fills, no quoting time over 5,000 episodes', (regime) => {
    const rec = runEpisodes(
      {
        model: resolveModel(regime),
        policy: builtinPolicy('00'),
        study: 'test/lob/00',
        run: 0,
        base: streamBase('test/lob/00', 0),
        from: 0,
        to: 5000,
      },
      'wasm',
      module,
    );
    for (let e = 0; e < 5000; e++) {
      for (const slot of [O_PNL, O_FILLS_ASK, O_FILLS_BID, O_QUOTE_ASK, O_QUOTE_BID]) {
        if (rec[e * OUT_STRIDE + slot] !== 0)
          expect({ episode: e, slot, value: rec[e * OUT_STRIDE + slot] }).toBeNull();
      }
    }
  });
});
