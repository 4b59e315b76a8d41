/** E8 (spec §5): the HJB surrogate. Grid Bellman value vs the discrete and continuous LQ regulator. */
import { type Check, check } from '../../checks.js';
import { inlineExecutor } from '../executor.js';
import { solveHjbGrid } from '../hjb.js';
import { lqRegulator, lqRegulatorDiscrete } from '../oracles.js';
import { type Ctx, type ExperimentResult, fmt, result } from './harness.js';

const E8_GRID: readonly { dt: number; h: number; golden: number }[] = [
  { dt: 0.2, h: 0.02, golden: 0.773658 },
  { dt: 0.1, h: 0.01, golden: 0.715299 },
  { dt: 0.1, h: 0.002, golden: 0.713787 },
  { dt: 0.05, h: 0.0025, golden: 0.686204 },
  { dt: 0.05, h: 0.001, golden: 0.685906 },
  { dt: 0.02, h: 0.0004, golden: 0.66962 },
];

export async function e8(): Promise<ExperimentResult> {
  const rho = 0.2;
  const r = 0.5;
  const P = lqRegulator(rho, r).P;
  const checks: Check[] = [];
  const table = E8_GRID.map(({ dt, h, golden }) => {
    const g = solveHjbGrid({ rho, r, dt, h });
    const Pd = lqRegulatorDiscrete(rho, r, dt).P;
    const v = g.valueAt1;
    const uStar = -(Pd - dt) / r;
    const step = h / dt;
    const tag = `Δt = ${dt}, h = ${h}`;
    checks.push(
      check(`${tag}: V̂(1) = ${golden} to 1e-6`, Math.abs(v - golden) <= 1e-6, `${v.toFixed(8)}`),
      check(
        `${tag}: 0 < V̂ − P_Δ ≤ 0.25(h/Δt)²`,
        v - Pd > 0 && v - Pd <= 0.25 * step * step,
        `${(v - Pd).toExponential(3)} ≤ ${(0.25 * step * step).toExponential(3)}`,
      ),
      check(
        `${tag}: 0 < P_Δ − P ≤ 0.6Δt`,
        Pd - P > 0 && Pd - P <= 0.6 * dt,
        `${(Pd - P).toFixed(6)} ≤ ${0.6 * dt}`,
      ),
      check(
        `${tag}: grid control at x = 1 within h/Δt of −(P_Δ − Δt)/r`,
        Math.abs(g.controlAt1 - uStar) <= step + 1e-12,
        `${fmt(g.controlAt1)} vs ${fmt(uStar)}`,
      ),
    );
    return {
      dt,
      h,
      P_delta: fmt(Pd, 8),
      V_hat_1: fmt(v, 7),
      golden,
      V_minus_P_delta: fmt(v - Pd, 7),
      P_delta_minus_P: fmt(Pd - P, 7),
      grid_control: fmt(g.controlAt1),
      discrete_feedback: fmt(uStar),
      policy_iterations: g.iterations,
    };
  });
  const ctx: Ctx = {
    id: 'e8',
    exec: inlineExecutor(undefined),
    engine: 'js',
    seeds: 0,
    designSeeds: 0,
    evalEpisodes: 0,
    steps: 0,
    arrays: [],
    runs: [],
  };
  const dts = [0.2, 0.1, 0.05, 0.02, 0.01];
  return result(
    ctx,
    'E8 — HJB surrogate',
    { rho, r },
    table,
    checks,
    {
      P: fmt(P, 10),
      gain: fmt(P / r, 10),
      richardson: fmt(2 * lqRegulatorDiscrete(rho, r, 0.05).P - lqRegulatorDiscrete(rho, r, 0.1).P, 6),
    },
    [
      {
        kind: 'curve',
        name: 'e8-value-vs-dt',
        title: 'E8: value at x = 1 of the continuous, discrete and grid problems vs the time step',
        xLabel: 'time step Δt',
        yLabel: 'value at x = 1',
        series: [
          { name: 'continuous P', x: dts, y: dts.map(() => P) },
          { name: 'discrete P_Δ', x: dts, y: dts.map((dt) => lqRegulatorDiscrete(rho, r, dt).P) },
          {
            name: 'grid V̂(1) (finest h)',
            x: [0.2, 0.1, 0.05, 0.02],
            y: [0.2, 0.1, 0.05, 0.02].map((dt) => table.filter((t) => t.dt === dt).at(-1)?.V_hat_1 as number),
          },
        ],
      },
    ],
  );
}
