/**
 * The one progress display of a run. On a TTY: a bar on stderr with whole units and the overall ETA.
 * Elsewhere (CI, pipes, a log file of a run left in the background): one plain line a minute, so a
 * run of hours shows where it is without filling its log; runs under a minute print nothing. Runs
 * without a known total show a count and the elapsed time instead of an ETA.
 */
import cliProgress from 'cli-progress';

export interface ProgressSpec {
  /** What is counted, plural (`seeds`, `runs`, `episodes`). */
  readonly unit: string;
  /** Units in the whole run, when known up front (a function when it changes as the run goes on). */
  readonly total?: number | (() => number);
  /** Whole units done so far. */
  readonly done: () => number;
}

/** How often the plain display writes its line. */
export const PLAIN_PROGRESS_MS = 60_000;

const clock = (ms: number) => {
  const s = Math.round(ms / 1000);
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  return hms.map((v, i) => (i === 0 ? String(v) : String(v).padStart(2, '0'))).join(':');
};

/** Starts the display; returns the function that stops it. */
export function startProgress(spec: ProgressSpec): () => void {
  const total = typeof spec.total === 'function' ? spec.total : () => spec.total as number | undefined;
  const value = () => {
    const t = total();
    return Math.floor(t === undefined ? spec.done() : Math.min(spec.done(), t));
  };
  return process.stderr.isTTY ? startBar(spec.unit, total, value) : startLines(spec.unit, total, value);
}

function startBar(unit: string, total: () => number | undefined, value: () => number): () => void {
  const known = total() !== undefined;
  const bar = new cliProgress.SingleBar(
    {
      format: known
        ? `[{bar}] {value}/{total} ${unit} | {percentage}% | eta {eta_formatted}`
        : `{value} ${unit} done | elapsed {duration_formatted}`,
      stream: process.stderr,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const update = () => {
    const t = total();
    if (t !== undefined && t !== bar.getTotal()) bar.setTotal(t);
    bar.update(value());
  };
  bar.start(total() ?? 0, 0);
  const timer = setInterval(update, 250);
  timer.unref();
  return () => {
    clearInterval(timer);
    update();
    bar.stop();
  };
}

function startLines(unit: string, total: () => number | undefined, value: () => number): () => void {
  const t0 = Date.now();
  // the ETA extrapolates the rate since the previous line, as the bar's does over its recent
  // updates: a count that restarts (a new training) or stalls gets no ETA on that line
  let last = { at: t0, v: 0 };
  const timer = setInterval(() => {
    const now = Date.now();
    const t = total();
    const v = value();
    const rate = v > last.v ? (v - last.v) / (now - last.at) : 0;
    last = { at: now, v };
    const line =
      t === undefined || t === 0
        ? `${v} ${unit} done | elapsed ${clock(now - t0)}`
        : `${v}/${t} ${unit} | ${Math.floor((100 * v) / t)}% | elapsed ${clock(now - t0)}` +
          (rate > 0 ? ` | eta ${clock((t - v) / rate)}` : '');
    process.stderr.write(`progress: ${line}\n`);
  }, PLAIN_PROGRESS_MS);
  timer.unref();
  return () => clearInterval(timer);
}
