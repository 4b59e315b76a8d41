/**
 * Charts: a vega-lite spec → SVG (vega, headless) → PNG (resvg, 2× zoom, DejaVu Sans). Both files
 * are written atomically next to each other: `<base>.svg`, `<base>.png`.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { writeFileAtomic } from '../store/atomic.js';

export type ChartSpec = vl.TopLevelSpec;

/** Renders a vega-lite spec to SVG markup. */
export async function chartSvg(spec: ChartSpec): Promise<string> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises SVG markup to PNG bytes. */
export function svgToPng(svg: string): Uint8Array {
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: 'white',
  })
    .render()
    .asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/** Writes `<base>.svg` and `<base>.png`; returns both paths. */
export async function writeChart(spec: ChartSpec, base: string): Promise<{ svg: string; png: string }> {
  const svg = await chartSvg({ ...spec, config: { font: 'DejaVu Sans', ...spec.config } } as ChartSpec);
  writeFileAtomic(`${base}.svg`, svg);
  writeFileAtomic(`${base}.png`, svgToPng(svg));
  return { svg: `${base}.svg`, png: `${base}.png` };
}
