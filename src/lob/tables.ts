/**
 * The order-book study's tidy table: `episodes`, one row per episode × policy. Policies are compared on
 * common random numbers: episode e draws the same random stream under every policy.
 */
import { defineTable, type TableFiles, TableRows, writeTable } from '../store/table.js';
import {
  O_CAPPED,
  O_EVENTS,
  O_FILLS_ASK,
  O_FILLS_BID,
  O_HITS,
  O_PNL,
  O_QUOTE_ASK,
  O_QUOTE_BID,
  O_RESERVOIR_TIME,
  O_REWARD,
  O_Y,
  OUT_STRIDE,
} from './layout.js';

export const LOB_EPISODES = defineTable({
  name: 'episodes',
  doc: 'One row per episode × policy of an order-book evaluation (common random numbers across policies).',
  columns: [
    {
      name: 'policy',
      type: 'string',
      unit: '',
      doc: "market-making policy: '11', '00', 'random', 'sticky' or 'skew' (see docs/lob.md)",
    },
    {
      name: 'episode',
      type: 'i32',
      unit: '',
      doc: 'episode index e; its random stream is the same under every policy',
    },
    {
      name: 'pnl',
      type: 'f64',
      unit: 'ticks',
      doc: 'episode P&L: cash plus the liquidation value of the final inventory',
    },
    { name: 'reward', type: 'f64', unit: 'ticks', doc: 'P&L minus the terminal inventory penalty η·y_T²' },
    { name: 'fills_ask', type: 'i32', unit: 'orders', doc: 'market maker sell orders filled (ask side)' },
    { name: 'fills_bid', type: 'i32', unit: 'orders', doc: 'market maker buy orders filled (bid side)' },
    {
      name: 'inventory_final',
      type: 'i32',
      unit: 'units',
      doc: 'inventory y_T at the horizon, before liquidation',
    },
    { name: 'abs_inventory_final', type: 'i32', unit: 'units', doc: '|y_T|' },
    { name: 'events', type: 'i32', unit: 'events', doc: 'order-book events in the episode' },
    {
      name: 'boundary_hits',
      type: 'i32',
      unit: 'events',
      doc: 'times the boundary rule fired (reservoir entries or refills)',
    },
    {
      name: 'capped',
      type: 'bool',
      unit: '',
      doc: 'the episode stopped at the event cap N before the horizon T',
    },
    {
      name: 'quote_time_ask',
      type: 'f64',
      unit: 'time',
      doc: 'time with a market maker order resting on the ask side',
    },
    {
      name: 'quote_time_bid',
      type: 'f64',
      unit: 'time',
      doc: 'time with a market maker order resting on the bid side',
    },
    {
      name: 'reservoir_time',
      type: 'f64',
      unit: 'time',
      doc: 'time the book spent in the reservoir state (both frames empty)',
    },
  ],
});

/** Writes episodes.{parquet,csv}: `records[i]` holds the episode records of policy `policies[i]`. */
export function writeLobTables(
  dir: string,
  policies: readonly string[],
  records: readonly Float64Array[],
): TableFiles[] {
  const rows = new TableRows(LOB_EPISODES);
  policies.forEach((policy, i) => {
    const rec = records[i] as Float64Array;
    for (let e = 0; e < rec.length / OUT_STRIDE; e++) {
      const at = (o: number) => rec[e * OUT_STRIDE + o] as number;
      rows.push({
        policy,
        episode: e,
        pnl: at(O_PNL),
        reward: at(O_REWARD),
        fills_ask: at(O_FILLS_ASK),
        fills_bid: at(O_FILLS_BID),
        inventory_final: at(O_Y),
        abs_inventory_final: Math.abs(at(O_Y)),
        events: at(O_EVENTS),
        boundary_hits: at(O_HITS),
        capped: at(O_CAPPED) !== 0,
        quote_time_ask: at(O_QUOTE_ASK),
        quote_time_bid: at(O_QUOTE_BID),
        reservoir_time: at(O_RESERVOIR_TIME),
      });
    }
  });
  return [writeTable(dir, LOB_EPISODES, rows.data())];
}
