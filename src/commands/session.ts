/**
 * The one run session behind every command that writes results (lq, regret-study, execution, lob, qknn).
 * A command validates its flags (src/flags.ts), builds a `SessionPlan`, and hands its work to
 * `runSession`, which does the rest the same way for every study:
 *
 * 1. Size before work (O(1), before anything is created): the pool gets min(workers, jobs) threads;
 *    `plan.memory` (kernel memory per worker × those threads, host buffers, output bytes) is checked
 *    against the kernel's 4 GiB address space, the allocator's largest block, the machine's memory and
 *    the free disk space. Too much → UsageError naming `plan.memory.flag` (exit 2).
 * 2. `--out` checked: an existing directory (empty, or an earlier quantrl result holding summary.json)
 *    or a path whose missing folders can be created; not on a virtual filesystem (/proc, /sys, …);
 *    writable. Otherwise UsageError naming --out. Missing parents are created one level at a time
 *    (no retry loop) and removed again if the run does not commit.
 * 3. Staging: everything is written into ONE sibling folder `.<name>.staging-<pid>-<random>` next to
 *    `--out`. Staging folders (and `.previous-` folders) whose owning PID is no longer alive are removed
 *    at the start of the next run into the same `--out`.
 * 4. SIGINT and SIGTERM are handled from the start until after the commit: the pool's tasks are
 *    aborted, the staging folder is removed, `--out` is left as it was, and the CLI prints one line and
 *    exits 130 (SIGINT) or 143 (SIGTERM). A second signal exits at once (after removing the staging).
 * 5. `session.writeSummary(sub, fields)` writes summary.json with the envelope every study shares:
 *    study, version, git commit (when the package is a git checkout), UTC timestamp, the replayable
 *    command line, the resolved config, machine, workers (threads started), wall time and the files of
 *    that folder. The top-level summary.json is required.
 * 6. Commit: the old `--out` (if any) is renamed aside, the staging folder is renamed to `--out` — one
 *    rename of the whole folder — and the old one is deleted. Until that moment the old results are
 *    untouched; a crash between the two renames is repaired by the next run (the old folder comes back).
 *
 * Test hook (documented, for the interrupt tests only): `QUANTRL_TEST_SIGNAL=<phase>:<SIGINT|SIGTERM>`
 * makes the session send that signal to its own process at a named phase — `compute` (when the first
 * pool task's result arrives, or at the start of a run without a pool) or `write` (when the command
 * enters its write phase) — and wait for it to be delivered before committing, so the tests need no
 * sleeps or timer order.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statfsSync,
  statSync,
} from 'node:fs';
import { totalmem } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { InterruptedError, UsageError } from '../errors.js';
import { codeVersion, machineInfo } from '../machine.js';
import { packageRoot } from '../paths.js';
import type { MemoryNeed, SessionPlan } from '../runner/plan.js';
import { Runner, resolveWorkers } from '../runner/pool.js';
import { startProgress } from '../runner/progress.js';
import { writeFileAtomic } from '../store/atomic.js';

const GiB = 2 ** 30;
/** A WASM32 instance addresses at most 4 GiB. */
export const KERNEL_MEMORY_LIMIT = 4 * GiB;
/** The kernels' allocator (AssemblyScript TLSF) refuses blocks of 1 GiB or more. */
export const KERNEL_BLOCK_LIMIT = GiB - 64;
/** Baseline memory of one worker thread (V8 isolate, module instance, stacks). */
export const WORKER_BASE_BYTES = 48 * 2 ** 20;

export type { MemoryNeed, SessionPlan } from '../runner/plan.js';

export type Phase = 'compute' | 'write';
type Signal = 'SIGINT' | 'SIGTERM';

const VIRTUAL_FS: Record<number, string> = {
  40864: 'proc',
  1650812274: 'sysfs',
  7377: 'devpts',
  2613483: 'cgroup',
  1667723888: 'cgroup2',
  1684170528: 'debugfs',
  1953653091: 'tracefs',
  1935894131: 'securityfs',
  1634035564: 'pstore',
  3405662737: 'bpf',
  1650812272: 'configfs',
  3730735588: 'efivarfs',
  1702057283: 'fusectl',
  1112100429: 'binfmt_misc',
  4185718668: 'selinuxfs',
  427819522: 'mqueue',
  1853056627: 'nsfs',
};

function fmtBytes(b: number): string {
  return b >= GiB ? `${(b / GiB).toFixed(1)} GiB` : `${(b / 2 ** 20).toFixed(1)} MiB`;
}

/** Memory the process may use: the machine's, or a smaller cgroup limit. */
export function machineMemory(): number {
  const limit = process.constrainedMemory?.() ?? 0;
  const total = totalmem();
  return limit > 0 && limit < total ? limit : total;
}

/** Size before work: throws UsageError naming the flag when the run cannot fit. */
export function checkMemory(need: MemoryNeed, threads: number, outParent?: string): void {
  const f = need.flag;
  if (need.largestBlockBytes > KERNEL_BLOCK_LIMIT)
    throw new UsageError(
      `${f}: one kernel buffer would need ${fmtBytes(need.largestBlockBytes)}; the kernel allocates at most ${fmtBytes(KERNEL_BLOCK_LIMIT)} in one block`,
    );
  if (need.kernelBytes > KERNEL_MEMORY_LIMIT)
    throw new UsageError(
      `${f}: a kernel instance would need ${fmtBytes(need.kernelBytes)}; WASM memory is limited to 4 GiB`,
    );
  const perWorker = WORKER_BASE_BYTES + need.kernelBytes + need.workerHostBytes;
  const total = threads * perWorker + need.mainBytes;
  const have = machineMemory();
  if (total > have)
    throw new UsageError(
      `${f}: the run needs about ${fmtBytes(total)} (${threads} worker${threads === 1 ? '' : 's'} × ${fmtBytes(perWorker)} + ${fmtBytes(need.mainBytes)} of results), more than this machine's ${fmtBytes(have)}; lower ${f}${threads > 1 ? ' or --workers' : ''}`,
    );
  if (outParent !== undefined && existsSync(outParent)) {
    const fs = statfsSync(outParent);
    const free = fs.bavail * fs.bsize;
    if (need.fileBytes > free)
      throw new UsageError(
        `${f}: the output files need about ${fmtBytes(need.fileBytes)}, more than the ${fmtBytes(free)} free under ${outParent}`,
      );
  }
}

/** The git commit of the package checkout, when there is one. */
function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: packageRoot(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim();
  } catch {
    return undefined;
  }
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The command line that replays a run: the subcommand path, its arguments, and every option with the
 * value it ran with (given or default), shell-quoted.
 */
export function replayableCommand(cmd: Command): string {
  const path: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) path.unshift(c.name());
  const words = ['quantrl', ...path, ...cmd.args.slice(0, cmd.registeredArguments.length)];
  const values = cmd.opts() as Record<string, unknown>;
  for (const o of cmd.options) {
    const v = values[o.attributeName()];
    if (v === undefined || o.long === undefined) continue;
    // a negated flag (`--no-plots`) holds true unless it was given
    if (o.negate) {
      if (v === false) words.push(o.long);
      continue;
    }
    if (v === false) continue;
    words.push(o.long);
    if (v !== true) words.push(String(v));
  }
  return words.map(shellQuote).join(' ');
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function errText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? e.message;
}

/** Where a run's output goes: the checked `--out`, its parent, and the folders this run created. */
interface OutTarget {
  readonly out: string;
  readonly parent: string;
  readonly name: string;
  readonly created: string[];
}

/** True when the folder may be replaced: empty, or an earlier quantrl result. */
function replaceable(dir: string): boolean {
  const entries = readdirSync(dir);
  if (entries.length === 0) return true;
  if (!entries.includes('summary.json')) return false;
  try {
    const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { study?: unknown };
    return typeof s.study === 'string';
  } catch {
    return false;
  }
}

/** Checks `--out` and creates its missing parents; throws UsageError naming --out. */
function prepareOut(given: string): OutTarget {
  const out = resolve(given);
  const parent = dirname(out);
  if (out === parent) throw new UsageError(`--out: '${given}' is a filesystem root; give a folder below it`);
  if (resolve(process.cwd()).startsWith(`${out}/`) || resolve(process.cwd()) === out)
    throw new UsageError(`--out: '${given}' holds the working directory; give a folder of its own`);
  // the nearest existing ancestor (terminates: the root exists)
  let existing = out;
  const missing: string[] = [];
  while (!existsSync(existing)) {
    missing.unshift(existing);
    existing = dirname(existing);
  }
  if (!statSync(existing).isDirectory())
    throw new UsageError(
      existing === out
        ? `--out: '${given}' is a file, not a folder`
        : `--out: '${existing}' is a file, not a folder`,
    );
  if (process.platform === 'linux') {
    const kind = VIRTUAL_FS[statfsSync(existing).type];
    if (kind) throw new UsageError(`--out: '${given}' is on a virtual filesystem (${kind})`);
  }
  if (existing === out && !replaceable(out))
    throw new UsageError(
      `--out: '${given}' holds files that are not a quantrl result; give a new or empty folder`,
    );
  const created: string[] = [];
  for (const dir of missing) {
    if (dir === out) break;
    try {
      mkdirSync(dir);
      created.push(dir);
    } catch (err) {
      removeCreated(created);
      throw new UsageError(`--out: cannot create '${dir}' (${errText(err)})`);
    }
  }
  return { out, parent, name: basename(out), created };
}

function removeCreated(created: readonly string[]): void {
  for (const dir of [...created].reverse()) {
    try {
      rmdirSync(dir);
    } catch {
      // not empty (someone else wrote there): leave it
    }
  }
}

const STAGE_RE = /^\.(.+)\.(staging|previous)-(\d+)-[A-Za-z0-9]+$/;

/** Removes staging folders of dead runs into the same --out; brings back an old result a crash left aside. */
function removeStale(t: OutTarget): void {
  for (const entry of readdirSync(t.parent)) {
    const m = STAGE_RE.exec(entry);
    if (!m || m[1] !== t.name || pidAlive(Number(m[3]))) continue;
    const path = join(t.parent, entry);
    if (m[2] === 'previous' && !existsSync(t.out)) renameSync(path, t.out);
    else rmSync(path, { recursive: true, force: true });
  }
}

function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, base));
    else out.push(relative(base, p));
  }
  return out.sort();
}

function jsonSafe(_: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
}

export class Session {
  /** The staging folder: write every output file under it. */
  readonly dir: string;
  /** Aborted by SIGINT/SIGTERM; pass to long computations that run in the main thread. */
  readonly signal: AbortSignal;
  /** Worker threads started (min(workers, jobs); 0 without a pool). */
  readonly threads: number;
  private runnerValue: Runner | undefined;
  private readonly abort = new AbortController();
  private interrupted: Signal | undefined;
  private readonly started = performance.now();
  private readonly createdUtc = new Date().toISOString();
  private readonly commit = gitCommit();
  private hookDelivered: Promise<void> | undefined;
  private markDelivered: (() => void) | undefined;
  private readonly onSignal = (sig: Signal) => {
    if (this.interrupted) {
      // a second signal: leave now, without waiting for workers to notice
      rmSync(this.dir, { recursive: true, force: true });
      removeCreated(this.target.created);
      console.error(`quantrl: ${new InterruptedError(sig, this.plan.out).message}`);
      process.exit(sig === 'SIGINT' ? 130 : 143);
    }
    this.interrupted = sig;
    this.abort.abort(new InterruptedError(sig, this.plan.out));
    this.markDelivered?.();
  };
  private readonly onInt = () => this.onSignal('SIGINT');
  private readonly onTerm = () => this.onSignal('SIGTERM');

  private constructor(
    readonly plan: SessionPlan,
    private readonly target: OutTarget,
  ) {
    this.threads = plan.jobs > 0 ? Math.min(resolveWorkers(plan.workers), plan.jobs) : 0;
    this.signal = this.abort.signal;
    setMaxListeners(0, this.signal); // one listener per queued task
    removeStale(target);
    try {
      // mkdirSync, not mkdtemp: the result gets the permissions of any folder the user creates
      this.dir = join(
        target.parent,
        `.${target.name}.staging-${process.pid}-${randomBytes(6).toString('hex')}`,
      );
      mkdirSync(this.dir);
    } catch (err) {
      removeCreated(target.created);
      throw new UsageError(`--out: cannot write in '${target.parent}' (${errText(err)})`);
    }
    process.on('SIGINT', this.onInt);
    process.on('SIGTERM', this.onTerm);
  }

  /** Checks sizes and --out, creates the staging folder, installs the signal handlers, opens the pool. */
  static async open(plan: SessionPlan): Promise<Session> {
    const threads = plan.jobs > 0 ? Math.min(resolveWorkers(plan.workers), plan.jobs) : 0;
    checkMemory(plan.memory, threads);
    const target = prepareOut(plan.out);
    try {
      checkMemory(plan.memory, threads, target.parent);
    } catch (err) {
      removeCreated(target.created);
      throw err;
    }
    const s = new Session(plan, target);
    try {
      if (threads > 0)
        s.runnerValue = await Runner.open({
          workers: threads,
          signal: s.signal,
          onTaskDone: () => {
            if (s.runnerValue?.tasksDone === 1) s.testHook('compute');
          },
        });
      else s.testHook('compute');
    } catch (err) {
      await s.discard();
      s.release();
      throw err;
    }
    return s;
  }

  /** The pool (only when the plan has jobs). */
  get runner(): Runner {
    if (!this.runnerValue) throw new Error('session: this run has no worker pool (plan.jobs = 0)');
    return this.runnerValue;
  }

  /** Throws InterruptedError once a signal has arrived; call between long steps in the main thread. */
  throwIfInterrupted(): void {
    if (this.interrupted) throw new InterruptedError(this.interrupted, this.plan.out);
  }

  /** Marks the start of a phase (the write phase: plots, tables, report). */
  phase(name: Phase): void {
    this.throwIfInterrupted();
    this.testHook(name);
  }

  private testHook(name: Phase): void {
    const hook = process.env.QUANTRL_TEST_SIGNAL;
    if (!hook || this.hookDelivered) return;
    const [phase, sig] = hook.split(':');
    if (phase !== name || (sig !== 'SIGINT' && sig !== 'SIGTERM')) return;
    this.hookDelivered = new Promise<void>((res) => {
      this.markDelivered = res;
    });
    process.kill(process.pid, sig);
  }

  /** Seconds since the session opened. */
  get wallSeconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  /**
   * Writes `<staging>/<sub>/summary.json`: the shared envelope followed by the study's fields
   * (which may override `wallSeconds`, e.g. per experiment). Returns the files of that folder.
   */
  writeSummary(sub: string, fields: Record<string, unknown>): string[] {
    const dir = join(this.dir, sub);
    mkdirSync(dir, { recursive: true });
    const files = [...listFiles(dir).filter((f) => f !== 'summary.json'), 'summary.json'];
    const summary = {
      study: this.plan.study,
      version: codeVersion(),
      ...(this.commit ? { gitCommit: this.commit } : {}),
      createdUtc: this.createdUtc,
      command: this.plan.command,
      config: this.plan.config,
      machine: machineInfo(),
      workers: this.threads,
      wallSeconds: this.wallSeconds,
      ...fields,
      files,
    };
    writeFileAtomic(join(dir, 'summary.json'), `${JSON.stringify(summary, jsonSafe, 2)}\n`);
    return files;
  }

  /** Replaces --out with the staging folder (one rename of the folder); the old result goes last. */
  private commitOut(): void {
    const { out, parent, name } = this.target;
    let previous: string | undefined;
    if (existsSync(out)) {
      previous = mkdtempSync(join(parent, `.${name}.previous-${process.pid}-`));
      rmdirSync(previous);
      renameSync(out, previous);
    }
    try {
      renameSync(this.dir, out);
    } catch (err) {
      if (previous) renameSync(previous, out);
      throw err;
    }
    if (previous) rmSync(previous, { recursive: true, force: true });
  }

  private async discard(): Promise<void> {
    await this.runnerValue?.close().catch(() => {});
    this.runnerValue = undefined;
    rmSync(this.dir, { recursive: true, force: true });
    removeCreated(this.target.created);
  }

  /** Runs `work`, then commits; on any error or signal discards the staging folder. */
  async run<T>(work: (s: Session) => Promise<T>): Promise<T> {
    const p = this.plan.progress;
    const runner = this.runnerValue;
    const stop = p
      ? startProgress({
          unit: p.unit,
          ...(p.total !== undefined ? { total: p.total } : {}),
          done: () => (runner ? (p.done ?? ((r: Runner) => r.tasksDone))(runner) : 0),
        })
      : () => {};
    try {
      let value: T;
      try {
        value = await work(this);
      } finally {
        stop();
      }
      await this.runnerValue?.close();
      this.runnerValue = undefined;
      await this.hookDelivered;
      this.throwIfInterrupted();
      if (!existsSync(join(this.dir, 'summary.json')))
        throw new Error('session: the command wrote no summary.json');
      this.commitOut();
      return value;
    } catch (err) {
      await this.discard();
      if (this.interrupted) throw new InterruptedError(this.interrupted, this.plan.out);
      throw err;
    } finally {
      this.release();
    }
  }

  /** Removes the signal handlers (the very last step of a run). */
  private release(): void {
    process.off('SIGINT', this.onInt);
    process.off('SIGTERM', this.onTerm);
  }
}

/** Opens a session for `plan`, runs `work` in it and commits (see the module comment). */
export async function runSession<T>(plan: SessionPlan, work: (s: Session) => Promise<T>): Promise<T> {
  const s = await Session.open(plan);
  return s.run(work);
}
