import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { PLAIN_PROGRESS_MS, startProgress } from '../../src/runner/progress.js';

// Outside a terminal the display writes one plain line per interval; vitest's stderr is not a TTY.
let lines: string[];
beforeEach(() => {
  vi.useFakeTimers();
  lines = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

test('one line per interval with count, elapsed time and an ETA at the last interval rate', () => {
  expect(process.stderr.isTTY).toBeFalsy();
  let done = 0;
  const stop = startProgress({ unit: 'steps', total: 40, done: () => done });
  done = 5;
  vi.advanceTimersByTime(PLAIN_PROGRESS_MS - 1);
  expect(lines).toEqual([]);
  done = 10;
  vi.advanceTimersByTime(1);
  // 10 of 40 after one minute: three more minutes at that rate
  expect(lines).toEqual(['progress: 10/40 steps | 25% | elapsed 0:01:00 | eta 0:03:00\n']);
  done = 30;
  vi.advanceTimersByTime(PLAIN_PROGRESS_MS);
  // 20 in the last minute: the remaining 10 take half a minute
  expect(lines[1]).toBe('progress: 30/40 steps | 75% | elapsed 0:02:00 | eta 0:00:30\n');
  stop();
  vi.advanceTimersByTime(5 * PLAIN_PROGRESS_MS);
  expect(lines).toHaveLength(2);
});

test('a total given as a function is read at each line; a restarted count has no ETA; no total, no ETA', () => {
  let total = 100;
  let done = 50;
  const stopA = startProgress({ unit: 'steps', total: () => total, done: () => done });
  vi.advanceTimersByTime(PLAIN_PROGRESS_MS);
  total = 200;
  done = 10;
  vi.advanceTimersByTime(PLAIN_PROGRESS_MS);
  stopA();
  const stopB = startProgress({ unit: 'runs', done: () => 7 });
  vi.advanceTimersByTime(PLAIN_PROGRESS_MS);
  stopB();
  expect(lines).toEqual([
    'progress: 50/100 steps | 50% | elapsed 0:01:00 | eta 0:01:00\n',
    'progress: 10/200 steps | 5% | elapsed 0:02:00\n',
    'progress: 7 runs done | elapsed 0:01:00\n',
  ]);
});
