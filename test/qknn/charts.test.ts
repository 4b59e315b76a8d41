/**
 * The experiment's extra charts render whole (legends inside the image, no label cut short): the ask
 * share against imbalance (Fig. 6) and the mean P&L against D with 11's mean as a reference line
 * (Fig. 4's message). A test with a single grid size gets no mean-against-D chart.
 */
import { describe, expect, it } from 'vitest';
import type { LobSummary } from '../../src/lob/stats.js';
import { askShareChart, meanVsDChart } from '../../src/qknn/charts.js';
import type { ArmResult, AskShareRow, TestResult } from '../../src/qknn/experiment.js';
import { layoutDefects, renderChart } from '../../src/report/plots.js';

const summary = (mean: number, se: number) => ({ mean, se, episodes: 100 }) as unknown as LobSummary;
const arm = (D: number, config: ArmResult['config'], mean: number): ArmResult =>
  ({ label: `D=${D}`, config, D, summary: summary(mean, 0.02) }) as unknown as ArmResult;

describe('qknn experiment charts', () => {
  it('ask share against imbalance: four panels, a legend per trend', async () => {
    const rows: AskShareRow[] = [];
    for (const config of ['recommended', 'paper-faithful'] as const)
      for (const version of ['grid', 'decisions'] as const)
        for (const trend of [0, 0.3])
          for (let bin = 0; bin < 10; bin++)
            rows.push({
              config,
              trend,
              version,
              bin,
              share: bin === 3 ? null : 0.7 - 0.04 * bin,
              orders: 9,
              states: 90,
            });
    const { layout, svg } = await renderChart(askShareChart(rows, 'T6: ask share'));
    expect(layoutDefects(layout)).toEqual([]);
    expect(layout.legends.length).toBeGreaterThan(0);
    expect(svg).toContain('κ = 0.3');
    expect(svg).toContain('evaluation decisions');
  });

  it('mean against D: a line per configuration, ±1 SE bars, 11 dashed; none for one D', async () => {
    const base = { mean: -0.14, se: 0.02 } as unknown as TestResult['baselines'][string];
    const r = {
      id: 't4',
      arms: [100, 300, 600].flatMap((D, i) => [
        arm(D, 'recommended', -0.03 + 0.01 * i),
        arm(D, 'paper-faithful', -0.04 + 0.005 * i),
      ]),
      baselines: { 'R-hlr-dev': base },
    } as unknown as TestResult;
    const spec = meanVsDChart(r);
    if (!spec) throw new Error('no chart');
    const { layout, svg } = await renderChart(spec);
    expect(layoutDefects(layout)).toEqual([]);
    expect(svg).toContain('11 (same episodes)');
    expect(svg).toContain('Qknn recommended');
    expect(meanVsDChart({ ...r, arms: r.arms.filter((a) => a.D === 100) } as TestResult)).toBeNull();
  });
});
