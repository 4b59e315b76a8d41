/** Worker-side task of the order-book study: a range of episodes of one built-in policy. */
import type { ScalarEngine } from '../kernels/engine.js';
import type { TaskHandler } from '../runner/task.js';
import { runEpisodes } from './engines.js';
import type { LobModel } from './model.js';
import { builtinPolicy, type PolicyName } from './policies.js';

/** The task kind (its key in the worker's dispatch table, src/tasks.ts). */
export const LOB_TASK = 'lob-episodes';

export interface LobEpisodesTask {
  readonly model: LobModel;
  readonly policy: PolicyName;
  /** The evaluation's experiment id and run (they name a NumericError). */
  readonly study: string;
  readonly run: number;
  readonly stickyRho: number;
  readonly base: bigint;
  readonly from: number;
  readonly to: number;
  readonly engine: ScalarEngine;
}

export const lobEpisodesTask: TaskHandler<LobEpisodesTask, Float64Array> = (t, ctx) => {
  const records = runEpisodes(
    {
      model: t.model,
      policy: builtinPolicy(t.policy, t.stickyRho),
      study: t.study,
      run: t.run,
      base: t.base,
      from: t.from,
      to: t.to,
    },
    t.engine,
    ctx.module,
  );
  ctx.progress(t.to - t.from);
  return { result: records, transfer: [records.buffer as ArrayBuffer] };
};
