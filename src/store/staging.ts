/**
 * All-or-nothing output folders: a run writes into `<out>/.incomplete-XXXXXX/` and commit() moves every
 * file into `<out>` at the end; abort() (error, Ctrl-C) deletes the staging folder, so an interrupted
 * run leaves neither partial files nor a partial set of complete ones.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export class StagedDir {
  readonly path: string;
  private readonly createdOut: boolean;

  constructor(readonly out: string) {
    this.createdOut = !existsSync(out);
    mkdirSync(out, { recursive: true });
    this.path = mkdtempSync(join(out, '.incomplete-'));
  }

  /** Moves every staged file into the output folder (replacing older ones) and removes the stage. */
  commit(): string[] {
    const files = readdirSync(this.path);
    for (const f of files) renameSync(join(this.path, f), join(this.out, f));
    rmSync(this.path, { recursive: true, force: true });
    return files;
  }

  /** Deletes the staged files, and the output folder too if this run created it. */
  abort(): void {
    rmSync(this.path, { recursive: true, force: true });
    if (this.createdOut && readdirSync(this.out).length === 0) rmdirSync(this.out);
  }
}

/** Runs `work` against a staging folder and commits it only when `work` succeeds. */
export async function withStagedDir<T>(out: string, work: (dir: string) => Promise<T>): Promise<T> {
  const stage = new StagedDir(out);
  try {
    const result = await work(stage.path);
    stage.commit();
    return result;
  } catch (err) {
    stage.abort();
    throw err;
  }
}
