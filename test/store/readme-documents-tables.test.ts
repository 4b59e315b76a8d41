/** The README documents every table column for column, exactly as the schemas the writers enforce. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXECUTION_LEARNING_CURVE, EXECUTION_RUNS } from '../../src/execution/tables.js';
import { LOB_EPISODES } from '../../src/lob/tables.js';
import { LQ_CHECKPOINTS, LQ_CURVES } from '../../src/lq/tables.js';
import { packageRoot } from '../../src/paths.js';
import { schemaMarkdown } from '../../src/store/table.js';

const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');

describe('README tables section', () => {
  for (const schema of [LQ_CHECKPOINTS, LQ_CURVES, EXECUTION_RUNS, EXECUTION_LEARNING_CURVE, LOB_EPISODES])
    it(`documents ${schema.name} as its schema says`, () => {
      expect(readme).toContain(`#### \`${schema.name}\``);
      expect(readme).toContain(schemaMarkdown(schema));
    });
});
