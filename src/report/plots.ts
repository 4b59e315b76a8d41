/**
 * Charts: a vega-lite spec → SVG (vega, headless) → PNG (resvg, 2× zoom, DejaVu Sans). Both files
 * are written atomically next to each other: `<base>.svg`, `<base>.png`.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { writeFileAtomic } from '../store/atomic.js';

export type ChartSpec = vl.TopLevelSpec;

export interface Box {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/** Where a chart's legends and texts ended up, in SVG pixels. */
export interface ChartLayout {
  readonly width: number;
  readonly height: number;
  readonly legends: readonly Box[];
  /** Texts vega shortened to fit a limit (they end in '…'). */
  readonly truncated: readonly string[];
}

/** A scenegraph node: a mark (marktype, role, items) or an item of a mark (x, y, items of a group). */
interface SceneNode {
  readonly marktype?: string;
  readonly role?: string;
  readonly x?: number;
  readonly y?: number;
  readonly bounds?: Box;
  readonly items?: readonly SceneNode[];
}

/** Bounds of every legend mark, in the coordinates of the view origin (group offsets accumulated). */
function legendBoxes(root: SceneNode): Box[] {
  const out: Box[] = [];
  const visit = (n: SceneNode, dx: number, dy: number) => {
    const isMark = n.marktype !== undefined;
    if (isMark && n.role === 'legend' && n.bounds)
      out.push({ x1: n.bounds.x1 + dx, y1: n.bounds.y1 + dy, x2: n.bounds.x2 + dx, y2: n.bounds.y2 + dy });
    // an item of a group mark shifts its children by its own position
    const [cx, cy] = isMark ? [dx, dy] : [dx + (n.x ?? 0), dy + (n.y ?? 0)];
    for (const c of n.items ?? []) visit(c, cx, cy);
  };
  visit(root, 0, 0);
  return out;
}

/** Renders a vega-lite spec to SVG markup and measures its legends from the scenegraph. */
export async function renderChart(spec: ChartSpec): Promise<{ svg: string; layout: ChartLayout }> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    await view.runAsync();
    const svg = await view.toSVG();
    const [ox, oy] = view.origin();
    // scenegraph bounds are relative to the view origin; the SVG is translated by it
    const legends = legendBoxes((view.scenegraph() as unknown as { root: SceneNode }).root).map((b) => ({
      x1: b.x1 + ox,
      y1: b.y1 + oy,
      x2: b.x2 + ox,
      y2: b.y2 + oy,
    }));
    const truncated: string[] = [];
    for (const m of svg.matchAll(/>([^<]*…)</g)) truncated.push(m[1] as string);
    const width = Number(/width="([\d.]+)"/.exec(svg)?.[1]);
    const height = Number(/height="([\d.]+)"/.exec(svg)?.[1]);
    return { svg, layout: { width, height, legends, truncated } };
  } finally {
    view.finalize();
  }
}

/** Renders a vega-lite spec to SVG markup. */
export async function chartSvg(spec: ChartSpec): Promise<string> {
  return (await renderChart(spec)).svg;
}

/** The defects a chart must not have: a legend past the image's edge, or a label cut short. */
export function layoutDefects(layout: ChartLayout): string[] {
  const out = layout.legends
    .filter((b) => b.x1 < 0 || b.y1 < 0 || b.x2 > layout.width || b.y2 > layout.height)
    .map((b) => `legend [${b.x1}, ${b.x2}] × [${b.y1}, ${b.y2}] outside ${layout.width} × ${layout.height}`);
  return [...out, ...layout.truncated.map((t) => `text cut short: '${t}'`)];
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

/**
 * Writes `<base>.svg` and `<base>.png`; returns both paths. A chart whose legend would fall outside the
 * image or whose labels vega would cut short is a defect of its spec: it is refused, not written.
 */
export async function writeChart(spec: ChartSpec, base: string): Promise<{ svg: string; png: string }> {
  const { svg, layout } = await renderChart({
    ...spec,
    config: { font: 'DejaVu Sans', ...spec.config },
  } as ChartSpec);
  const defects = layoutDefects(layout);
  if (defects.length) throw new Error(`chart ${base}: ${defects.join('; ')}`);
  writeFileAtomic(`${base}.svg`, svg);
  writeFileAtomic(`${base}.png`, svgToPng(svg));
  return { svg: `${base}.svg`, png: `${base}.png` };
}
