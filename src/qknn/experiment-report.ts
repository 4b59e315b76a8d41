/** report.md, tables and summary of `quantrl qknn experiment` (spec qknn-market-making §5.3). */
import { checkMark, verdict } from '../checks.js';
import { REFERENCES } from '../report/citations.js';
import { type Machine, mdCell, referencesSection, runSection } from '../report/markdown.js';
import { defineTable } from '../store/table.js';
import { IMBALANCE_BINS } from './ask-share.js';
import { configsIn, type TestResult } from './experiment.js';

/** A chart of one test, embedded in its section. */
export interface ChartRef {
  readonly file: string;
  readonly alt: string;
}

export const QKNN_ARMS = defineTable({
  name: 'qknn-arms',
  doc: 'one row per trained Qknn policy of an acceptance test: solver figures and evaluation statistics',
  columns: [
    { name: 'test', type: 'string', unit: '', doc: 'acceptance test (t3…t8)' },
    { name: 'arm', type: 'string', unit: '', doc: 'the arm: grid size, horizon, action class or trend' },
    { name: 'config', type: 'string', unit: '', doc: 'recommended or paper-faithful' },
    { name: 'd', type: 'i32', unit: 'trajectories', doc: 'training trajectories per grid set' },
    { name: 'grid_points', type: 'i32', unit: '', doc: 'grid points of set A after de-duplication' },
    { name: 'v0', type: 'f64', unit: 'ticks', doc: 'V̂_0 of the solver (set A)' },
    { name: 'v0_of_11', type: 'f64', unit: 'ticks', doc: 'policy-evaluation V̂_0 of 11 (§4.9)' },
    { name: 'train_seconds', type: 'f64', unit: 's', doc: 'training wall time' },
    {
      name: 'episodes',
      type: 'i32',
      unit: '',
      doc: 'evaluation episodes (0: not evaluated)',
      nullable: false,
    },
    { name: 'mean', type: 'f64', unit: 'ticks', doc: 'mean P&L', nullable: true },
    { name: 'se', type: 'f64', unit: 'ticks', doc: 'standard error of the mean', nullable: true },
    { name: 'sd', type: 'f64', unit: 'ticks', doc: 'standard deviation of the P&L', nullable: true },
    { name: 'p_le_3', type: 'f64', unit: '', doc: 'share of episodes with P&L ≤ −3', nullable: true },
    { name: 'p_le_5', type: 'f64', unit: '', doc: 'share of episodes with P&L ≤ −5', nullable: true },
    { name: 'cvar5', type: 'f64', unit: 'ticks', doc: 'mean of the worst 5 % of episodes', nullable: true },
    {
      name: 'mean_abs_inventory',
      type: 'f64',
      unit: 'units',
      doc: 'mean |y_T|, the inventory liquidated at the end',
      nullable: true,
    },
    {
      name: 'off_grid_share',
      type: 'f64',
      unit: '',
      doc: "share of the policy's decisions taken at an inventory that step's grid does not hold",
      nullable: true,
    },
  ],
} as const);

export const QKNN_ASK_SHARE = defineTable({
  name: 'qknn-ask-share',
  doc: "T6 (AHP's Fig. 6): per imbalance bin, the share of the market maker's orders placed on the ask side",
  columns: [
    { name: 'config', type: 'string', unit: '', doc: 'recommended or paper-faithful' },
    { name: 'trend', type: 'f64', unit: '', doc: 'market-order trend κ of the model trained and evaluated' },
    {
      name: 'version',
      type: 'string',
      unit: '',
      doc: 'grid (training-grid states of steps 1..N−1 with their learned action) or decisions (evaluation decisions)',
    },
    {
      name: 'bin',
      type: 'i32',
      unit: '',
      doc: 'imbalance bin b: q_a/(q_a + q_b) in [b/10, (b+1)/10) (last bin closed)',
    },
    { name: 'imbalance_lo', type: 'f64', unit: '', doc: 'lower edge of the bin' },
    { name: 'imbalance_hi', type: 'f64', unit: '', doc: 'upper edge of the bin' },
    {
      name: 'ask_share',
      type: 'f64',
      unit: '',
      doc: 'ask orders / all orders placed in the bin (null when none)',
      nullable: true,
    },
    { name: 'orders', type: 'i32', unit: 'orders', doc: 'orders (ask + bid) counted in the bin' },
    {
      name: 'states',
      type: 'i32',
      unit: '',
      doc: 'states of the whole curve (grid points or decisions) with a non-empty best queue',
    },
  ],
} as const);

export function askShareTable(results: readonly TestResult[]) {
  const rows = results.flatMap((r) => r.curves ?? []);
  return {
    config: rows.map((c) => c.config),
    trend: rows.map((c) => c.trend),
    version: rows.map((c) => c.version),
    bin: rows.map((c) => c.bin),
    imbalance_lo: rows.map((c) => c.bin / IMBALANCE_BINS),
    imbalance_hi: rows.map((c) => (c.bin + 1) / IMBALANCE_BINS),
    ask_share: rows.map((c) => c.share),
    orders: rows.map((c) => c.orders),
    states: rows.map((c) => c.states),
  };
}

export function armsTable(results: readonly TestResult[]) {
  const rows = results.flatMap((r) => r.arms.map((a) => ({ r, a })));
  const ev = (f: (x: (typeof rows)[number]) => number) => rows.map((x) => (x.a.summary ? f(x) : null));
  return {
    test: rows.map((x) => x.r.id),
    arm: rows.map((x) => x.a.label),
    config: rows.map((x) => x.a.config),
    d: rows.map((x) => x.a.D),
    grid_points: rows.map((x) => x.a.gridPoints),
    v0: rows.map((x) => x.a.V0),
    v0_of_11: rows.map((x) => x.a.V0of11),
    train_seconds: rows.map((x) => x.a.trainSeconds),
    episodes: rows.map((x) => x.a.summary?.episodes ?? 0),
    mean: ev((x) => x.a.summary.mean),
    se: ev((x) => x.a.summary.se),
    sd: ev((x) => x.a.summary.sd),
    p_le_3: ev((x) => x.a.pLe3),
    p_le_5: ev((x) => x.a.pLe5),
    cvar5: ev((x) => x.a.summary.cvar5),
    mean_abs_inventory: ev((x) => x.a.summary.meanAbsInventory),
    off_grid_share: ev((x) => x.a.offGrid),
  };
}

const f3 = (v: number) => v.toFixed(3);

function testSection(r: TestResult, charts: Record<string, readonly ChartRef[]>): string {
  const sizes = r.sizes.map(
    (s) => `| ${s.what} | ${s.ours.toLocaleString('en-US')} | ${s.spec.toLocaleString('en-US')} |`,
  );
  const smaller = r.sizes.some((s) => s.ours < s.spec);
  const arms = r.arms.map(
    (a) =>
      `| ${a.label} | ${a.config} | ${a.D} | ${a.gridPoints} | ${f3(a.V0)} | ${f3(a.V0of11)} | ${a.summary ? `${f3(a.summary.mean)} ± ${f3(a.summary.se)}` : '—'} | ${a.summary ? f3(a.summary.sd) : '—'} | ${a.summary ? f3(a.pLe3) : '—'} | ${a.summary ? a.summary.cvar5.toFixed(2) : '—'} | ${a.summary ? a.summary.meanAbsInventory.toFixed(2) : '—'} | ${a.summary ? f3(a.offGrid) : '—'} | ${a.trainSeconds.toFixed(1)} |`,
  );
  const base = Object.entries(r.baselines).map(
    ([k, b]) =>
      `| 11 (${k}) | — | — | — | — | — | ${f3(b.mean)} ± ${f3(b.se)} | ${f3(b.sd)} | ${f3(b.pLe3)} | ${b.cvar5.toFixed(2)} | ${b.meanAbsInventory.toFixed(2)} | — | — |`,
  );
  const configs = configsIn([r]);
  const checks = configs.map((name) => {
    const cs = r.checks[name] ?? [];
    const v = verdict(cs);
    return [
      `**${name}** ${name === 'recommended' ? '(gated)' : '(informative)'}: **${v.text}**`,
      '',
      '| check | verdict | our figures |',
      '|---|---|---|',
      ...cs.map((c) => `| ${mdCell(c.name)} | ${checkMark(c)} | ${mdCell(c.detail)} |`),
    ].join('\n');
  });
  const reported = r.reported
    ? `\nReported, not gated (spec §5.3):\n\n| config | statement | verdict | our figures |\n|---|---|---|---|\n${configs
        .flatMap((name) =>
          (r.reported?.[name] ?? []).map(
            (c) => `| ${name} | ${mdCell(c.name)} | ${checkMark(c)} | ${mdCell(c.detail)} |`,
          ),
        )
        .join('\n')}\n`
    : '';
  const curveRows = (version: 'grid' | 'decisions') =>
    configs
      .flatMap((name) =>
        [...new Set(r.curves?.map((c) => c.trend))].map((k) => {
          const cs =
            r.curves?.filter((c) => c.config === name && c.trend === k && c.version === version) ?? [];
          if (cs.length === 0) return '';
          const cells = cs.map((c) => (c.share === null ? '—' : c.share.toFixed(2))).join(' | ');
          return `| ${version} | ${name} | ${k} | ${cs[0]?.states ?? 0} | ${cells} |`;
        }),
      )
      .filter((l) => l.length > 0);
  const curve = r.curves?.length
    ? `\nAsk share per imbalance bin (bin b: q_a/(q_a + q_b) in [b/10, (b+1)/10); grid = training-grid states of steps 1..N−1, decisions = evaluation decisions; states = states counted):\n\n| version | config | κ | states | ${Array.from({ length: IMBALANCE_BINS }, (_, b) => `bin ${b}`).join(' | ')} |\n|---|---|---|---|${'---|'.repeat(IMBALANCE_BINS)}\n${[...curveRows('grid'), ...curveRows('decisions')].join('\n')}\n`
    : '';
  const figures = (charts[r.id] ?? []).map((c) => `\n![${c.alt}](${c.file})\n`).join('');
  return `## ${r.title}

Spec expectation: ${r.expectation}.

| size | this run | spec |
|---|---|---|
${sizes.join('\n')}
${smaller ? "\n> **This run is smaller than the spec's**: its verdicts are those of the reduced test, not of the acceptance test (use `--size full`).\n" : ''}
| arm | config | D | grid points | V̂₀ | V̂₀(11) | mean ± SE | sd | P(≤−3) | CVaR 5 % | \\|y_T\\| | off-grid | train s |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
${[...arms, ...base].join('\n')}
${curve}
${checks.join('\n\n')}
${reported}${figures}`;
}

export function experimentReport(run: {
  results: readonly TestResult[];
  size: string;
  charts: Record<string, readonly ChartRef[]>;
  command: string;
  machine: Machine;
  wallSeconds: number;
  files: readonly string[];
}): string {
  const configs = configsIn(run.results);
  const overall = configs.map(
    (name) =>
      `| ${name} | ${run.results
        .map((r) => {
          const cs = r.checks[name];
          return cs ? verdict(cs).text : '—';
        })
        .join(' | ')} |`,
  );
  const onlyOne =
    configs.length === 1
      ? `\nThis run trained the ${configs[0]} configuration only (\`--configs\`); the other one was not run.\n`
      : '';
  return `# Qknn market making: acceptance tests T3–T8 (${run.size} size)

Each test trains Qknn in the recommended configuration (double estimator, p_ref = mid,
canonicalisation, exact match on y, mass-exact quantizer, Φ = g) and in the paper-faithful one
(single estimator, k = 1, unit weights, presence bits, uniform exploration), on the same training
streams, and evaluates both against policy 11 on the same episodes (common random numbers). Gates
apply to the recommended configuration; the paper-faithful verdicts are informative (spec §5.3).
Significance: one-sided Welch at 1 % in its large-sample (normal) form, |z| > 2.326. In the arms
tables, |y_T| is the mean inventory left at the horizon (liquidated into the book) and off-grid the
share of the policy's decisions taken at an inventory that step's training grid does not hold, where
the value it acts on was learned at another inventory.
${onlyOne}
| configuration | ${run.results.map((r) => r.id.toUpperCase()).join(' | ')} |
|---|${'---|'.repeat(run.results.length)}
${overall.join('\n')}

${run.results.map((r) => testSection(r, run.charts)).join('\n')}
${runSection(run)}

${referencesSection([REFERENCES.abergelHurePham2020], 'docs/qknn.md')}
`;
}
