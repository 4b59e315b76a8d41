/**
 * report.html: the sweep's charts as interactive vega-embed views (hover shows the grid point and its
 * numbers). vega, vega-lite and vega-embed are inlined from their installed browser builds, so the
 * file works offline and alone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChartSpec } from '../report/plots.js';
import { writeFileAtomic } from '../store/atomic.js';

/** The installed folder of a package (its exports map hides package.json, so walk up from its entry). */
function packageDir(pkg: string): string {
  let dir = dirname(fileURLToPath(import.meta.resolve(pkg)));
  while (
    !existsSync(join(dir, 'package.json')) ||
    JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== pkg
  ) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`quantrl: cannot find the installed ${pkg} package`);
    dir = up;
  }
  return dir;
}

function browserBuild(pkg: string, file: string): string {
  const root = packageDir(pkg);
  // Inside a <script> element only "</script" could end it early.
  return readFileSync(join(root, 'build', file), 'utf8').replaceAll('</script', '<\\/script');
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function writeHtmlReport(
  dir: string,
  title: string,
  charts: readonly { name: string; title: string; spec: ChartSpec }[],
): string {
  const specs = JSON.stringify(Object.fromEntries(charts.map((c) => [c.name, c.spec]))).replaceAll(
    '<',
    '\\u003c',
  );
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>body{font-family:'DejaVu Sans',sans-serif;margin:2em;max-width:1000px}section{margin-bottom:2em}</style>
<script>${browserBuild('vega', 'vega.min.js')}</script>
<script>${browserBuild('vega-lite', 'vega-lite.min.js')}</script>
<script>${browserBuild('vega-embed', 'vega-embed.min.js')}</script>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>Hover a point for its grid point, mean, 95 % CI and seed count. The tables are runs.parquet and points.parquet beside this file.</p>
${charts.map((c) => `<section><h2>${escapeHtml(c.title)}</h2><div id="${c.name}"></div></section>`).join('\n')}
<script>
const specs = ${specs};
window.rendered = Promise.all(Object.entries(specs).map(([id, spec]) =>
  vegaEmbed('#' + CSS.escape(id), spec, { actions: false, renderer: 'svg' })));
</script>
</body>
</html>
`;
  const file = join(dir, 'report.html');
  writeFileAtomic(file, html);
  return file;
}
