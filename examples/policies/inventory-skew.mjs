// A market-making policy for `quantrl lob simulate|compare --policy examples/policies/inventory-skew.mjs`.
// Quote both best quotes while the inventory is small; once |inventory| reaches a limit, quote only
// the side that reduces it. `observation` is MarketMakingEnv's typed record (its flat numbers are in
// `observation.vector`); `info.actionMask` has one entry per action of the configured class.

const LIMIT = 2;

/** Action index of (ask label, bid label) with label 1 = an order at the best quote, 0 = none. */
function encode(ask, bid, actions) {
  if (actions === 4) return 2 * ask + bid; // A1lim
  if (actions === 9) return 3 * ask + bid; // A2lim
  return 4 * ask + bid; // A2lim-16 (bit 0 of each side = L1)
}

export function act(observation, info) {
  const y = observation.inventory;
  const ask = y > -LIMIT ? 1 : 0; // selling is fine unless we are already short by LIMIT
  const bid = y < LIMIT ? 1 : 0;
  return encode(ask, bid, info.actionMask.length);
}
