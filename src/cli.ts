#!/usr/bin/env node
/** The `quantrl` command: wires the subcommands; each lives in src/commands/. */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { registerBench } from './commands/bench.js';
import { registerExecution } from './commands/execution.js';
import { registerLob } from './commands/lob.js';
import { registerLq } from './commands/lq.js';
import { registerQknn } from './commands/qknn.js';
import { registerRegretStudy } from './commands/regret-study.js';
import { UsageError } from './errors.js';
import { codeVersion } from './machine.js';

export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

export function buildProgram(): Command {
  const program = new Command('quantrl')
    .description('fast, reproducible trading-RL studies: WASM kernels with pure-TS twins')
    .version(codeVersion())
    .exitOverride()
    .showHelpAfterError(false);
  registerLq(program);
  registerRegretStudy(program);
  registerExecution(program);
  registerLob(program);
  registerQknn(program);
  registerBench(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has printed its message; help and version are not errors
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      console.error(`quantrl: ${err.message}`);
      return EXIT_USAGE;
    }
    if (err instanceof Error && /interrupted|aborted/i.test(err.message)) {
      console.error('quantrl: interrupted; no partial files were left');
      return EXIT_INTERRUPTED;
    }
    console.error(`quantrl: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  return script !== undefined && realpathSync(script) === fileURLToPath(import.meta.url);
}

if (invokedDirectly()) process.exitCode = await main(process.argv.slice(2));
