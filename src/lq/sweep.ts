/**
 * The LQ study in sweeps: its config schema, its stream family and its per-seed metrics — φ₁, the
 * log squared error and the cumulative regret at the spec's checkpoints and at N, and the seed's
 * log-log regret slope over the fit window — all for the configured model (φ₁* and ĵ in general form).
 */
import { checkStatus } from '../kernels/engine.js';
import { fitLine } from '../stats.js';
import type { MetricSpec, SeedKey, SweepStudy } from '../sweep/study.js';
import { LQ_STUDY_DEFAULTS, type LqStudySettings, lqStudySchema } from './config-schema.js';
import {
  runModelBasedPair,
  runModelBasedSeed,
  runModelFreePair,
  runModelFreeSeed,
  type SeedResult,
} from './engines.js';
import { eulerSteps } from './model.js';
import { cumulativeRegret, optimalGain } from './oracle.js';
import { CHECKPOINTS, listLength } from './study.js';
import { seedInputs } from './tasks.js';

const EXPERIMENT = 'lq-actor-critic';

function checkpoints(c: LqStudySettings): number[] {
  return CHECKPOINTS.filter((k) => k < c.iterations);
}

function metrics(c: LqStudySettings): MetricSpec[] {
  const label = c.algo === 'model-free' ? 'after k updates' : 'run in episode n';
  const at = (k: number | 'final'): MetricSpec[] => {
    const when = k === 'final' ? `at N = ${c.iterations}` : `at ${k}`;
    const s = k === 'final' ? 'final' : `at_${k}`;
    return [
      { name: `phi1_${s}`, unit: '', doc: `φ₁ ${label}, ${when}` },
      { name: `ln_sq_err_${s}`, unit: '', doc: `ln (φ₁ − φ₁*)² ${when}` },
      { name: `regret_${s}`, unit: '', doc: `cumulative regret ${when} (spec §5 pairing)` },
    ];
  };
  return [
    ...checkpoints(c).flatMap(at),
    ...at('final'),
    {
      name: 'regret_slope',
      unit: '',
      doc: 'OLS slope of ln R against ln iteration over the fit window, this seed alone',
    },
  ];
}

/** The metric row of one seed from its φ₁ list and cumulative regret (positions as in study.ts). */
function seedRow(
  c: LqStudySettings,
  phi1: Float64Array,
  regret: Float64Array,
  phiStar: number,
): Float64Array {
  const pos = (label: number) => (c.algo === 'model-free' ? label : label - 1);
  const row: number[] = [];
  const at = (p: number) => {
    const phi = phi1[p] as number;
    row.push(phi, Math.log((phi - phiStar) * (phi - phiStar)), regret[p] as number);
  };
  for (const k of checkpoints(c)) at(pos(k));
  at(phi1.length - 1);
  // The regret curve is plotted at ln(position + 1); fit every position in the window.
  const lo = Math.max(c.fitWindow.from, 1) - 1;
  const hi = Math.min(c.fitWindow.to, phi1.length) - 1;
  let slope = Number.NaN;
  if (hi - lo + 1 >= 3 && (regret[lo] as number) > 0) {
    const x = new Float64Array(hi - lo + 1);
    const y = new Float64Array(hi - lo + 1);
    for (let p = lo; p <= hi; p++) {
      x[p - lo] = Math.log(p + 1);
      y[p - lo] = Math.log(regret[p] as number);
    }
    slope = fitLine(x, y).slope;
  }
  row.push(slope);
  return Float64Array.from(row);
}

function runSeeds(
  c: LqStudySettings,
  seeds: readonly SeedKey[],
  module: WebAssembly.Module,
  runIndex: number,
): Float64Array[] {
  const settings = c.algo === 'model-free' ? c.modelFree : c.modelBased;
  const { schedule, phi2 } = seedInputs(c.algo, c.model, settings, c.iterations);
  const phiStar = optimalGain(c.model);
  const regret = new Float64Array(listLength(c.algo, c.iterations));
  const finish = (s: SeedKey, r: SeedResult) => {
    checkStatus(r.failedAt, { study: EXPERIMENT, run: runIndex, seed: s.seed }, 'iteration');
    cumulativeRegret(c.model, r.phi1, phi2, regret);
    return seedRow(c, r.phi1, regret, phiStar);
  };
  const run = (s: SeedKey) => ({
    model: c.model,
    settings: c.modelFree,
    iterations: c.iterations,
    schedule,
    key: s.key,
  });
  const rows: Float64Array[] = [];
  for (let i = 0; i < seeds.length; i++) {
    const s = seeds[i] as SeedKey;
    const next = seeds[i + 1];
    if (c.algo === 'model-based') {
      const mb = (k: SeedKey) => ({
        model: c.model,
        settings: c.modelBased,
        iterations: c.iterations,
        schedule,
        key: k.key,
      });
      if (c.engine === 'wasm-simd' && next) {
        const [a, b] = runModelBasedPair([mb(s), mb(next)], module);
        rows.push(finish(s, a), finish(next, b));
        i++;
      } else rows.push(finish(s, runModelBasedSeed(mb(s), c.engine, module)));
    } else if (c.engine === 'wasm-simd' && next) {
      const [a, b] = runModelFreePair([run(s), run(next)], module);
      rows.push(finish(s, a), finish(next, b));
      i++;
    } else rows.push(finish(s, runModelFreeSeed(run(s), c.engine, module)));
  }
  return rows;
}

export const lqSweepStudy: SweepStudy<LqStudySettings> = {
  name: 'lq',
  description: 'continuous-time LQ actor–critic (model-free Algorithm 1, or the model-based plug-in)',
  schema: lqStudySchema,
  defaults: LQ_STUDY_DEFAULTS,
  experiment: () => EXPERIMENT,
  metrics,
  headline: ['regret_final', 'ln_sq_err_final', 'regret_slope', 'phi1_final'],
  // about 15 ns per Euler step (model-based 1.5×) plus the host's per-iteration schedule and regret
  cost: (c) => c.iterations * (eulerSteps(c.model) * 15 * (c.algo === 'model-based' ? 1.5 : 1) + 300),
  runSeeds: (c, seeds, ctx, run) => runSeeds(c, seeds, ctx.module, run),
};
