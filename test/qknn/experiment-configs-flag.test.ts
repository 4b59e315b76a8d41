/** `qknn experiment --configs`: which configurations a run trains, in the report's order. */
import { describe, expect, it } from 'vitest';
import { experimentConfigs } from '../../src/commands/qknn.js';
import { UsageError } from '../../src/errors.js';

describe('--configs', () => {
  it('defaults to both, keeps recommended first whatever the order typed', () => {
    expect(experimentConfigs(undefined)).toEqual(['recommended', 'paper-faithful']);
    expect(experimentConfigs('paper-faithful,recommended')).toEqual(['recommended', 'paper-faithful']);
    expect(experimentConfigs('recommended')).toEqual(['recommended']);
    expect(experimentConfigs('paper-faithful')).toEqual(['paper-faithful']);
  });

  it('refuses an unknown name, naming the flag', () => {
    expect(() => experimentConfigs('recommended,authors')).toThrow(UsageError);
    expect(() => experimentConfigs('recommended,authors')).toThrow(/^--configs: .*'authors'/);
    expect(() => experimentConfigs('')).toThrow(/^--configs/);
  });
});
