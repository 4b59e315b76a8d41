/**
 * Finished trainings kept on disk, so that a full-size `qknn experiment` (hours of training) that is
 * interrupted resumes at the first training it had not finished instead of starting over. Each
 * training is a policy file (src/qknn/policy-file.ts) named by a hash of the package version and the
 * resolved configuration; a training is a function of its configuration alone, so a kept file stands
 * for a fresh training bit for bit (its grids, Û and Â are stored exactly). Files are written
 * atomically as each training finishes; a damaged one is refused with an error naming it, never
 * silently retrained over.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { codeVersion } from '../machine.js';
import { type QknnConfig, qknnModel } from './config.js';
import { qknnFeatureSpec } from './features.js';
import { readPolicy, writePolicy } from './policy-file.js';
import type { Timings, TrainResult } from './solver.js';

/** A training and the seconds it took when it was first run. */
export interface KeptTraining {
  readonly result: TrainResult;
  readonly seconds: number;
}

export class TrainingStore {
  /** Opens (creating it if needed) the folder; a path that cannot be a folder throws here, before any training. */
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** The file of a configuration's training. */
  fileOf(c: QknnConfig): string {
    const key = createHash('sha256')
      .update(`${codeVersion()}\n${JSON.stringify(c)}`)
      .digest('hex')
      .slice(0, 16);
    return join(this.dir, `training-${key}.policy.json`);
  }

  /** The kept training of configuration c, if there is one. */
  get(c: QknnConfig): KeptTraining | undefined {
    const file = this.fileOf(c);
    if (!existsSync(file)) return undefined;
    const p = readPolicy(file);
    if (JSON.stringify(p.config) !== JSON.stringify(c))
      throw new UsageError(`${file}: holds another configuration than its name says`);
    const s = p.summary as { V0?: unknown; V0of11?: unknown; rawPoints?: unknown; timings?: unknown };
    const timings = s.timings as Timings | undefined;
    if (
      !Array.isArray(s.V0) ||
      typeof s.V0of11 !== 'number' ||
      typeof s.rawPoints !== 'number' ||
      typeof timings?.totalMs !== 'number'
    )
      throw new UsageError(`${file}: summary lacks V0, V0of11, rawPoints or timings`);
    const model = qknnModel(c);
    const result: TrainResult = {
      config: c,
      model,
      spec: qknnFeatureSpec(c, model),
      steps: p.steps,
      V0: s.V0 as number[],
      V0of11: s.V0of11,
      grids: p.steps.map((st) => st.grid),
      rawPoints: s.rawPoints,
      gridPoints: p.steps.reduce((sum, st) => sum + st.count, 0),
      timings,
    };
    return { result, seconds: timings.totalMs / 1000 };
  }

  /** Keeps a finished training (atomically: a file is there whole or not at all). */
  set(c: QknnConfig, r: TrainResult): void {
    writePolicy(this.fileOf(c), r);
  }
}
