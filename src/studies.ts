/**
 * The studies a sweep can run, each declared once in src/<study>/sweep.ts: the composition root of the
 * sweep engine (which itself imports no study). Adding a study adds one line here.
 */
import { executionSweepStudy } from './execution/sweep.js';
import { lobSweepStudy } from './lob/sweep.js';
import { lqSweepStudy } from './lq/sweep.js';
import type { StudyRegistry } from './sweep/study.js';
import { chunkHandler } from './sweep/task.js';

export const STUDIES: StudyRegistry = {
  lq: lqSweepStudy,
  execution: executionSweepStudy,
  lob: lobSweepStudy,
};

/** The pool worker's handler for sweep chunks over these studies. */
export const sweepChunkTask = chunkHandler(STUDIES);
