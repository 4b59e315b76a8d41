import { describe, expect, it } from 'vitest';
import { LAYOUT } from '../../src/lob/layout.js';
import { BUILDS, instance } from '../support/builds.js';

describe.each(BUILDS)('order-book layout (%s build)', (build) => {
  it('restates every slot and table constant the kernel exports', async () => {
    const k = await instance(build);
    for (const [name, value] of Object.entries(LAYOUT))
      expect([name, k.constant(`LOB_${name}`)]).toEqual([name, value]);
  });
});
