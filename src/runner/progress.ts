/** A progress bar on stderr while `work` runs, when stderr is a TTY; silent otherwise (CI, pipes). */
import cliProgress from 'cli-progress';

export async function withProgress<T>(
  label: string,
  total: number,
  done: () => number,
  work: () => Promise<T>,
): Promise<T> {
  if (!process.stderr.isTTY) return work();
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted}`,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  const timer = setInterval(() => bar.update(Math.min(done(), total)), 200);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    bar.update(Math.min(done(), total));
    bar.stop();
  }
}
