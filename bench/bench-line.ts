/** The bench contract: one JSON object per (kernel, engine), printed as one line by `quantrl bench`. */
import { Bench } from 'tinybench';

export interface BenchLine {
  readonly kernel: string;
  readonly engine: 'wasm' | 'wasm-simd' | 'js';
  readonly [metric: string]: string | number;
}

/**
 * Median milliseconds of one call of `fn` after `warmup` untimed calls (WASM has no on-stack
 * replacement: the first long call would run in the baseline tier).
 */
export async function medianCallMs(
  name: string,
  fn: () => void,
  iterations = 7,
  warmup = 2,
): Promise<number> {
  const bench = new Bench({ time: 0, iterations, warmupIterations: warmup, warmupTime: 0 });
  bench.add(name, fn);
  await bench.run();
  const task = bench.tasks[0];
  const result = task?.result;
  if (result?.state !== 'completed') throw new Error(`bench ${name} did not complete`);
  return result.latency.p50 as number;
}
