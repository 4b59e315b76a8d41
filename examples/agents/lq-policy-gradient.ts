// Learns the LQ feedback gain φ by REINFORCE on 1024 WASM environments (README "Write your own agent").
import { makeVectorEnv } from '../../src/index.js';

const gaussian = () => Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
const venv = await makeVectorEnv('lq', { num: 1024, seed: 1 }); // dX = (X + u)dt + (X + u)dW, φ* = −2
const sigma = 0.5;
let phi = -0.5, baseline = 0;
const score = new Float64Array(venv.num), ret = new Float64Array(venv.num);
venv.reset();
for (let step = 0; step < 30_000; step++) {
  for (let i = 0; i < venv.num; i++) {
    const x = venv.observations[2 * i + 1] as number, u = phi * x + sigma * gaussian();
    venv.actions[i] = u;
    score[i] += ((u - phi * x) * x) / sigma ** 2; // ∇φ log π(u | x)
  }
  venv.step();
  let grad = 0, ended = 0;
  for (let i = 0; i < venv.num; i++) {
    ret[i] += venv.rewards[i] as number;
    if (!venv.terminated[i]) continue;
    grad += (ret[i] - baseline) * score[i];
    baseline += 0.001 * (ret[i] - baseline);
    score[i] = ret[i] = 0;
    ended++;
  }
  if (ended > 0) phi += (0.01 * grad) / ended;
}
console.log(`learned φ = ${phi.toFixed(3)} (optimal −2)`);
