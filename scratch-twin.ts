import { KnnKernel } from './src/kernels/knn.js';
import { compileKernels, Kernels } from './src/kernels/wasm.js';
import { resolveQknnConfig } from './src/qknn/config.js';
import { train } from './src/qknn/solver.js';
const kernel = new KnnKernel(new Kernels(await compileKernels('release')));
const cases = [
  { index: 'brute', estimator: 'double', D: 500, T: 0.2, N: 10 },
  { index: 'tree', estimator: 'plain', D: 500, T: 0.2, N: 10 },
  { index: 'forest', estimator: 'plain', D: 500, T: 0.2, N: 10 },
  { index: 'auto', estimator: 'double', D: 500 },
] as const;
for (const k of cases) {
  const c = resolveQknnConfig({ ...k, bruteMax: k.index === 'auto' ? 1024 : 100_000 });
  const c0 = process.cpuUsage(); const t0 = Date.now();
  const w = train(c, { engine: 'wasm', kernel, skipCheck: true });
  const t1 = Date.now(); const c1 = process.cpuUsage(c0);
  const j = train(c, { engine: 'js', skipCheck: true });
  const t2 = Date.now();
  let same = JSON.stringify(w.V0) === JSON.stringify(j.V0);
  for (let n = 0; n < w.steps.length; n++) {
    const a = w.steps[n], b = j.steps[n];
    if (!a || !b) continue;
    for (let i = 0; i < a.count; i++) if (a.U[i] !== b.U[i] || a.actions[i] !== b.actions[i]) same = false;
  }
  console.log(JSON.stringify({ ...k, wasm_s: (t1 - t0) / 1000, wasm_cpu_s: (c1.user + c1.system) / 1e6, js_s: (t2 - t1) / 1000, queries: w.timings.queries, identical: same }));
}
