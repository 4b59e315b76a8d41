/** The bench contract: one JSON object per (kernel, engine), printed as one line by `quantrl bench`. */

export interface BenchLine {
  readonly kernel: string;
  readonly engine: 'wasm' | 'wasm-simd' | 'js' | 'native-avx2';
  readonly [metric: string]: string | number;
}

/** One timed unit of work; `setup` (untimed) runs before every timed call. */
export interface TimedCall {
  readonly setup?: () => void;
  readonly run: () => void;
}

/** Milliseconds of CPU per call: the median and the minimum over `reps` timed calls. */
export interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly reps: number;
}

/**
 * Times every call `reps` times after `warmup` untimed rounds, interleaved round by round (A, B, C,
 * A, B, C, …) so that load from other processes falls on all engines alike. A call is timed by the
 * process's CPU time (user + system), not the wall clock: the kernels run synchronously on one
 * thread, so on an idle machine both agree, while on a shared one the wall clock also counts the
 * time other processes held the core (medians then scatter by 2× and more; CPU-time medians stay
 * within a few per cent of the minimum). Warm-up calls matter: WASM has no on-stack replacement, so
 * a first long call would run in the baseline tier.
 */
export function timeInterleaved<K extends string>(
  calls: Record<K, TimedCall>,
  reps: number,
  warmup = 1,
): Record<K, Timing> {
  const names = Object.keys(calls) as K[];
  const samples = new Map<K, number[]>(names.map((n) => [n, []]));
  for (let round = 0; round < warmup + reps; round++) {
    for (const name of names) {
      const c = calls[name];
      c.setup?.();
      const t0 = process.cpuUsage();
      c.run();
      const t = process.cpuUsage(t0);
      const ms = (t.user + t.system) / 1000;
      if (round >= warmup) samples.get(name)?.push(ms);
    }
  }
  const out = {} as Record<K, Timing>;
  for (const name of names) {
    const s = (samples.get(name) ?? []).sort((a, b) => a - b);
    const mid = s.length >> 1;
    const median = s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
    out[name] = { medianMs: median, minMs: s[0] as number, reps: s.length };
  }
  return out;
}
