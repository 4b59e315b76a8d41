/** zod schemas for command-line values shared by the study commands (messages name no flag: callers prefix it). */
import { z } from 'zod';

/** A positive integer given as a string or number, at most `max`. */
export const positiveIntFlag = (max: number) =>
  z.coerce
    .number({ message: 'must be a positive integer' })
    .int({ message: 'must be a positive integer' })
    .positive({ message: 'must be a positive integer' })
    .max(max, { message: `must be at most ${max}` });

/** `--workers`: 'auto' (one per core) or a positive thread count. */
export const workersFlag = z.union([z.literal('auto'), positiveIntFlag(256)], {
  message: "must be 'auto' or a positive integer",
});
