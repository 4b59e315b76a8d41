/**
 * The one progress display of a run: a bar on stderr with whole units and the overall ETA, shown
 * only when stderr is a TTY (silent in CI, pipes and files). Runs without a known total show a
 * count and the elapsed time instead of an ETA.
 */
import cliProgress from 'cli-progress';

export interface ProgressSpec {
  /** What is counted, plural (`seeds`, `runs`, `episodes`). */
  readonly unit: string;
  /** Units in the whole run, when known up front. */
  readonly total?: number;
  /** Whole units done so far. */
  readonly done: () => number;
}

/** Starts the display; returns the function that stops it. */
export function startProgress(spec: ProgressSpec): () => void {
  if (!process.stderr.isTTY) return () => {};
  const total = spec.total;
  const bar = new cliProgress.SingleBar(
    {
      format:
        total === undefined
          ? `{value} ${spec.unit} done | elapsed {duration_formatted}`
          : `[{bar}] {value}/{total} ${spec.unit} | {percentage}% | eta {eta_formatted}`,
      stream: process.stderr,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const value = () => Math.floor(total === undefined ? spec.done() : Math.min(spec.done(), total));
  bar.start(total ?? 0, 0);
  const timer = setInterval(() => bar.update(value()), 250);
  timer.unref();
  return () => {
    clearInterval(timer);
    bar.update(value());
    bar.stop();
  };
}
