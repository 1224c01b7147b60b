import { describe, expect, it } from 'vitest';
import { createProgress, formatCount } from './progress.ts';

function sink(isTTY: boolean) {
  const out: string[] = [];
  return { isTTY, write: (s: string) => out.push(s), out };
}

describe('createProgress', () => {
  it('redraws one bar on a terminal and ends it with a newline', () => {
    let t = 0;
    const s = sink(true);
    const p = createProgress(s, { now: () => t, intervalMs: 100 });
    p.update('orders', 0, 200);
    t = 50;
    p.update('orders', 50, 200); // too soon: skipped
    t = 150;
    p.update('orders', 100, 200);
    p.update('orders', 200, 200); // the end is always drawn
    expect(s.out).toHaveLength(3);
    expect(s.out[1]).toMatch(/^\rorders {3}\[#{15}-{15}\] {2}50% 100\/200 /);
    expect(s.out[2]!.endsWith('\n')).toBe(true);
    expect(s.out[2]).toContain('100% 200/200');
  });

  it('writes plain lines when the output is not a terminal', () => {
    let t = 0;
    const s = sink(false);
    const p = createProgress(s, { now: () => t });
    p.update('returns', 10, 40);
    t = 500;
    p.update('returns', 20, 40); // within 2 s: skipped
    p.update('returns', 40, 40);
    p.update('reading', 5000);
    expect(s.out.map((l) => l.replace(/, [^)]*\)/, ')'))).toEqual([
      'returns: 10/40 (25%)\n',
      'returns: 40/40 (100%)\n',
      expect.stringMatching(/^reading: 5\.0k rows \(/),
    ]);
  });

  it('formats counts compactly', () => {
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1500)).toBe('1.5k');
    expect(formatCount(25_000)).toBe('25k');
    expect(formatCount(2_500_000)).toBe('2.5M');
  });
});
