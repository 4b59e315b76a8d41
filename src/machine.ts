/** What a result was produced on and with: recorded in every summary.json. */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, platform } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from './paths.js';

export function codeVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export function machineInfo() {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${platform()}-${process.arch}`,
  };
}
