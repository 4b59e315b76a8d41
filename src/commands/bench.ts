/** `quantrl bench <study> [--json]`: kernel benchmarks, one JSON line per (kernel, engine). */
import type { Command } from 'commander';
import type { BenchLine } from '../../bench/bench-line.js';
import { envBench } from '../../bench/env.bench.js';
import { executionBench } from '../../bench/execution.bench.js';
import { lobBench } from '../../bench/lob.bench.js';
import { lqBench } from '../../bench/lq.bench.js';
import { qknnBench } from '../../bench/qknn.bench.js';
import { sweepBench } from '../../bench/sweep.bench.js';
import { UsageError } from '../errors.js';

const SUITES: Record<string, (opts: { redis?: string }) => Promise<BenchLine[]>> = {
  lq: lqBench,
  lob: lobBench,
  execution: executionBench,
  qknn: qknnBench,
  sweep: sweepBench,
  env: envBench,
};

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description(`kernel benchmarks, WASM vs the JS twin (studies: ${Object.keys(SUITES).join(', ')})`)
    .argument('<study>', `one of: ${Object.keys(SUITES).join(', ')}`)
    .option('--json', 'print exactly one JSON line per (kernel, engine) and nothing else')
    .option('--redis <url>', 'sweep: also time the queue mode against this Redis (two worker processes)')
    .action(async (study: string, opts: { json?: boolean; redis?: string }) => {
      const suite = SUITES[study];
      if (!suite)
        throw new UsageError(`<study>: unknown study '${study}' (one of: ${Object.keys(SUITES).join(', ')})`);
      const lines = await suite(opts.redis ? { redis: opts.redis } : {});
      if (opts.json) {
        for (const l of lines) console.log(JSON.stringify(l));
        return;
      }
      console.table(lines);
    });
}
