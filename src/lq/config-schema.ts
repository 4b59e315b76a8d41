/**
 * The LQ study's full JSON config (strict; every field defaults to the paper's study): the model
 * (A, B, C, D, Q, H, x₀, T, dt), the model-free schedules and projection, the model-based settings,
 * and the checks the general closed forms of φ₁*, ĵ and regret need, each refused with its field named.
 */
import { z } from 'zod';
import { parseConfig, readJsonConfig } from '../flags.js';
import {
  LQ_DEFAULTS,
  type LqDefaults,
  type LqStudyConfig,
  MAX_ITERATIONS,
  parseLqConfig,
  type RawLqOptions,
} from './config.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_BASED, DEFAULT_MODEL_FREE } from './model.js';

/** Euler steps per episode allowed (each is two normal draws; the kernels keep no per-step arrays). */
export const MAX_EULER_STEPS = 1_000_000;

const num = (d: number, doc: string) =>
  z
    .number({ message: 'must be a number' })
    .finite({ message: 'must be a finite number' })
    .default(d)
    .describe(doc);
const positive = (d: number, doc: string) =>
  z
    .number({ message: 'must be a number' })
    .positive({ message: 'must be a positive number' })
    .finite()
    .default(d)
    .describe(doc);
const nonNegative = (d: number, doc: string) =>
  z
    .number({ message: 'must be a number' })
    .min(0, { message: 'must be ≥ 0' })
    .finite({ message: 'must be a finite number' })
    .default(d)
    .describe(doc);

const M = DEFAULT_MODEL;
export const lqModelSchema = z
  .strictObject({
    A: num(M.A, 'drift coefficient of the state'),
    B: num(M.B, 'drift coefficient of the control'),
    C: num(M.C, 'diffusion coefficient of the state'),
    D: num(M.D, 'diffusion coefficient of the control (must be nonzero)'),
    Q: nonNegative(M.Q, 'running state penalty'),
    H: nonNegative(M.H, 'terminal state penalty'),
    x0: num(M.x0, 'initial state'),
    T: positive(M.T, 'horizon'),
    dt: positive(M.dt, 'Euler step; T/dt must be a whole number'),
  })
  .prefault({})
  .describe('dX = (A·X + B·u)dt + (C·X + D·u)dW; maximise E[−½Q∫X²dt − ½H·X_T²]');

const F = DEFAULT_MODEL_FREE;
export const lqModelFreeSchema = z
  .strictObject({
    phi1Init: num(F.phi1Init, 'φ₁ before the first update'),
    lrScale: positive(F.lrScale, 'step size aₙ = lrScale·n^(−lrPower)'),
    lrPower: nonNegative(F.lrPower, 'step-size exponent'),
    exploreScale: positive(F.exploreScale, 'exploration variance φ₂,ₙ = exploreScale/max(1, n^explorePower)'),
    explorePower: nonNegative(F.explorePower, 'exploration-variance exponent'),
    gamma: nonNegative(F.gamma, 'critic (entropy) temperature γ'),
    phiLo: num(F.phiLo, 'lower end of the projection interval of φ₁ (inclusive)'),
    phiHi: num(F.phiHi, 'upper end of the projection interval of φ₁ (inclusive)'),
    criticK: num(F.criticK, 'frozen critic J(x) = −½·criticK·x²'),
  })
  .prefault({})
  .describe('model-free actor–critic (Algorithm 1)');

const B = DEFAULT_MODEL_BASED;
export const lqModelBasedSchema = z
  .strictObject({
    warmStart: z
      .tuple([z.number().finite(), z.number().finite(), z.number().finite(), z.number().finite()], {
        message: 'must be [Â, B̂, Ĉ, D̂], four finite numbers',
      })
      .default([...B.warmStart])
      .describe('starting estimates [Â, B̂, Ĉ, D̂]; D̂ must be nonzero'),
    exploreScale: positive(B.exploreScale, 'exploration vₙ = exploreScale/n^explorePower'),
    explorePower: nonNegative(B.explorePower, 'exploration exponent'),
    phiLo: num(B.phiLo, 'lower end of the projection interval of φ̂₁ (inclusive)'),
    phiHi: num(B.phiHi, 'upper end of the projection interval of φ̂₁ (inclusive)'),
  })
  .prefault({})
  .describe('model-based plug-in benchmark (Algorithm 2)');

export const lqStudySchema = z
  .strictObject({
    algo: z
      .enum(['model-free', 'model-based'], { message: "must be 'model-free' or 'model-based'" })
      .default('model-free'),
    iterations: z
      .number()
      .int({ message: 'must be a positive integer' })
      .min(1, { message: 'must be a positive integer' })
      .max(MAX_ITERATIONS, { message: `must be at most ${MAX_ITERATIONS}` })
      .default(200_000)
      .describe('iterations (episodes) per seed'),
    engine: z
      .enum(['wasm-simd', 'wasm', 'js'], { message: "must be 'wasm-simd', 'wasm' or 'js'" })
      .default('wasm-simd')
      .describe('all three give identical bits'),
    fitWindow: z
      .strictObject({
        from: z.number().int().min(1, { message: 'must be a positive integer' }).default(5000),
        to: z.number().int().min(1, { message: 'must be a positive integer' }).default(200_000),
      })
      .prefault({})
      .describe('iteration window of the log-log slope fits'),
    model: lqModelSchema,
    modelFree: lqModelFreeSchema,
    modelBased: lqModelBasedSchema,
  })
  .superRefine((c, ctx) => {
    const bad = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    const m = c.model;
    if (m.D === 0) bad(['model', 'D'], 'must be nonzero: φ₁* = −(B + C·D)/D² and the policy acts through D');
    const steps = m.T / m.dt;
    if (Math.abs(steps - Math.round(steps)) > 1e-9 * Math.max(1, steps) || Math.round(steps) < 1)
      bad(['model', 'dt'], `T/dt = ${steps} must be a whole number of Euler steps`);
    else if (Math.round(steps) > MAX_EULER_STEPS)
      bad(
        ['model', 'dt'],
        `T/dt = ${Math.round(steps)} Euler steps exceed the maximum of ${MAX_EULER_STEPS}`,
      );
    for (const group of ['modelFree', 'modelBased'] as const)
      if (c[group].phiLo > c[group].phiHi)
        bad([group, 'phiLo'], `must be ≤ ${group}.phiHi (${c[group].phiHi})`);
    if (c.modelBased.warmStart[3] === 0)
      bad(['modelBased', 'warmStart', 3], 'the starting D̂ must be nonzero (φ̂₁ divides by D̂²)');
    if (c.fitWindow.from >= c.fitWindow.to) bad(['fitWindow', 'from'], 'must be < fitWindow.to');
  });

export type LqStudyInput = z.input<typeof lqStudySchema>;
export type LqStudySettings = z.output<typeof lqStudySchema>;

/** The default study config (the paper's model-free study). */
export const LQ_STUDY_DEFAULTS: LqStudySettings = lqStudySchema.parse({});

/**
 * `--config FILE`: the study's JSON config (quantrl schema lq), strict. Flags given on the command line
 * override the same setting in the file (`flagGiven`); the model, schedules and plug-in settings come
 * from the file (defaults: the paper's).
 */
export function lqConfigFromFile(
  file: string,
  raw: RawLqOptions,
  flagGiven: (key: keyof RawLqOptions) => boolean,
  defaults: LqDefaults = LQ_DEFAULTS,
): LqStudyConfig {
  const json = readJsonConfig('--config', file, 'file');
  const study = parseConfig(lqStudySchema, json, '--config');
  const fromFile: RawLqOptions = {
    ...('algo' in json ? { algo: study.algo } : {}),
    ...('iterations' in json ? { iterations: study.iterations } : {}),
    ...('engine' in json ? { engine: study.engine } : {}),
    ...('fitWindow' in json ? { fitWindow: `${study.fitWindow.from}:${study.fitWindow.to}` } : {}),
  };
  const merged = { ...raw };
  for (const [k, v] of Object.entries(fromFile))
    if (!flagGiven(k as keyof RawLqOptions)) (merged as Record<string, unknown>)[k] = v;
  return {
    ...parseLqConfig(merged, defaults),
    model: study.model,
    modelFree: study.modelFree,
    modelBased: { ...study.modelBased, warmStart: study.modelBased.warmStart },
  };
}
