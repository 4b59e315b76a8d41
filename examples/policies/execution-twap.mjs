// TWAP for `quantrl execution evaluate --policy examples/policies/execution-twap.mjs` on the default
// impact environment (N = 10 steps, actions "sell 0" … "sell k": the index is the lot size). Sells the
// remaining inventory evenly over the remaining steps, within the feasible actions of the state.

const HORIZON = 10;

export function act(observation, info) {
  const remaining = HORIZON - observation.t;
  const size = Math.ceil(observation.q / remaining);
  return Math.min(size, info.feasible - 1);
}
