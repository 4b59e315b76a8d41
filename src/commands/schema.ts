/** `quantrl schema <study>`: the JSON Schema of a study's config (what `--config` and a sweep's `base` accept). */
import type { Command } from 'commander';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { STUDIES } from '../studies.js';

export function studySchemaJson(study: string): unknown {
  const s = STUDIES[study];
  if (!s)
    throw new UsageError(`<study>: unknown study '${study}' (one of: ${Object.keys(STUDIES).join(', ')})`);
  return z.toJSONSchema(s.schema, { io: 'input', unrepresentable: 'any' });
}

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description(`print the JSON Schema of a study's config (studies: ${Object.keys(STUDIES).join(', ')})`)
    .argument('<study>', `one of: ${Object.keys(STUDIES).join(', ')}`)
    .action((study: string) => {
      console.log(JSON.stringify(studySchemaJson(study), null, 2));
    });
}
