/** `quantrl schema execution|lob` prints each study's JSON Schema: every top-level config key, strict. */
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { STUDIES } from '../../src/studies.js';

describe('quantrl schema <study>', () => {
  it.each(['execution', 'lob'])(
    '%s: the JSON Schema names every config key and refuses others',
    async (study) => {
      const out: string[] = [];
      const spy = vi.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
      const code = await main(['schema', study]);
      spy.mockRestore();
      expect(code).toBe(0);
      const schema = JSON.parse(out.join('\n')) as { properties: object; additionalProperties: boolean };
      expect(Object.keys(schema.properties).sort()).toEqual(
        Object.keys(STUDIES[study]?.defaults as object).sort(),
      );
      expect(schema.additionalProperties).toBe(false);
    },
  );
});
