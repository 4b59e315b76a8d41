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
import { registerSchema } from './commands/schema.js';
import { registerSweep } from './commands/sweep.js';
import { InterruptedError, UsageError } from './errors.js';
import { codeVersion } from './machine.js';

export const EXIT_USAGE = 2;

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
  registerSweep(program);
  registerSchema(program);
  registerBench(program);
  return program;
}

/** `help <command> <subcommand> …` is `<command> <subcommand> … --help` (commander resolves one level only). */
function expandHelp(argv: string[]): string[] {
  return argv[0] === 'help' && argv.length > 2 ? [...argv.slice(1), '--help'] : argv;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(expandHelp(argv), { from: 'user' });
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
    if (err instanceof InterruptedError) {
      // 128 + signal number: 130 for SIGINT, 143 for SIGTERM
      console.error(`quantrl: ${err.message}`);
      return err.exitCode;
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
