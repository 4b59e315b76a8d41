/** E9 (spec §5): persistent excitation. RLS under deadbeat control with and without dither. */
import { type Check, check } from '../../checks.js';
import { streamKey } from '../../rng/streams.js';
import { mean, quantile } from '../../stats.js';
import { inlineExecutor } from '../executor.js';
import { E9_DEFAULTS, runRls } from '../rls.js';
import { type Ctx, type ExperimentOptions, type ExperimentResult, fmt, result } from './harness.js';

export async function e9(o: ExperimentOptions = {}): Promise<ExperimentResult> {
  const seeds = o.seeds ?? 20;
  const Ts = [500, 2000, 8000];
  const arms = [0, 0.1].map((dither) =>
    Array.from({ length: seeds }, (_, s) =>
      runRls({ ...E9_DEFAULTS, dither }, streamKey('execution/e9', 0, s), Ts),
    ),
  );
  const stat = (
    d: number,
    c: number,
    f: (x: { error: number; lambdaMinPerT: number; meanSquare: number }) => number,
  ) =>
    (arms[d] as ReturnType<typeof runRls>[]).map((run) =>
      f(run[c] as { error: number; lambdaMinPerT: number; meanSquare: number }),
    );
  const table = [0, 0.1].flatMap((dither, d) =>
    Ts.map((T, c) => ({
      dither,
      T,
      median_error: fmt(
        quantile(
          stat(d, c, (x) => x.error),
          0.5,
        ),
        5,
      ),
      lambda_min_over_T_median: Number(
        quantile(
          stat(d, c, (x) => x.lambdaMinPerT),
          0.5,
        ).toExponential(3),
      ),
      lambda_min_over_T_max: Number(Math.max(...stat(d, c, (x) => x.lambdaMinPerT)).toExponential(3)),
      lambda_min_over_T_min: Number(Math.min(...stat(d, c, (x) => x.lambdaMinPerT)).toExponential(3)),
      mean_x2: fmt(mean(stat(d, c, (x) => x.meanSquare)), 5),
    })),
  );
  const row = (d: number, T: number) =>
    table.find((r) => r.dither === d && r.T === T) as (typeof table)[number];
  const x2 = (d: number) => row(d, 8000).mean_x2;
  const checks: Check[] = [
    check(
      'δ = 0: median ‖θ̂ − θ‖ > 1 at every T',
      Ts.every((T) => row(0, T).median_error > 1),
      Ts.map((T) => row(0, T).median_error).join(', '),
    ),
    check(
      'δ = 0: λ_min(Σφφᵀ)/T < 1e-5 (every seed, every T)',
      Ts.every((T) => row(0, T).lambda_min_over_T_max < 1e-5),
      Ts.map((T) => row(0, T).lambda_min_over_T_max).join(', '),
    ),
    check(
      'δ = 0.1: median error < 0.05 at T = 2000',
      row(0.1, 2000).median_error < 0.05,
      String(row(0.1, 2000).median_error),
    ),
    check(
      'δ = 0.1: median error < 0.02 at T = 8000',
      row(0.1, 8000).median_error < 0.02,
      String(row(0.1, 8000).median_error),
    ),
    check(
      'δ = 0.1: λ_min/T > 1e-3 (every seed, every T)',
      Ts.every((T) => row(0.1, T).lambda_min_over_T_min > 1e-3),
      Ts.map((T) => row(0.1, T).lambda_min_over_T_min).join(', '),
    ),
    check(
      'mean x² with dither ≥ 2× without',
      x2(0.1) >= 2 * x2(0),
      `${x2(0.1)} vs ${x2(0)} (theory 0.0061 vs 0.0025)`,
    ),
  ];
  const ctx: Ctx = {
    id: 'e9',
    exec: inlineExecutor(undefined),
    engine: 'js',
    seeds,
    designSeeds: 20,
    evalEpisodes: 0,
    steps: seeds * 2 * 8000,
    arrays: [],
    runs: [],
  };
  return result(
    ctx,
    'E9 — persistent excitation',
    { Ts, plant: E9_DEFAULTS },
    table,
    checks,
    {
      median_error_no_dither_8000: row(0, 8000).median_error,
      median_error_dither_8000: row(0.1, 8000).median_error,
      lambda_min_over_T_dither: row(0.1, 8000).lambda_min_over_T_median,
      mean_x2: `${x2(0.1)} vs ${x2(0)}`,
    },
    [
      {
        kind: 'curve',
        name: 'e9-error-vs-T',
        title:
          'E9: median estimation error ‖θ̂ − θ‖ over seeds vs the number of steps T, with and without dither',
        xLabel: 'steps T',
        yLabel: 'median error ‖θ̂ − θ‖',
        logX: true,
        series: [0, 0.1].map((d) => ({
          name: d === 0 ? 'no dither (δ = 0)' : `dither δ = ${d}`,
          x: Ts,
          y: Ts.map((T) => row(d, T).median_error),
        })),
      },
    ],
  );
}
