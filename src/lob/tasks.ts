/** Worker-side task of the order-book study: a range of episodes of one built-in policy. */
import type { TaskHandler } from '../runner/task.js';
import type { LobModel } from './config.js';
import { type Engine, runEpisodes } from './engines.js';
import { builtinPolicy, type PolicyName } from './policies.js';

export interface LobEpisodesTask {
  readonly model: LobModel;
  readonly policy: PolicyName;
  readonly stickyRho: number;
  readonly base: bigint;
  readonly from: number;
  readonly to: number;
  readonly engine: Engine;
}

export const lobEpisodesTask: TaskHandler<LobEpisodesTask, Float64Array> = (t, ctx) => {
  const records = runEpisodes(
    { model: t.model, policy: builtinPolicy(t.policy, t.stickyRho), base: t.base, from: t.from, to: t.to },
    t.engine,
    ctx.module,
  );
  ctx.progress(t.to - t.from);
  return { result: records, transfer: [records.buffer as ArrayBuffer] };
};
