/**
 * The issue's performance targets as one table per engine: each figure beside the floor measured
 * in the same run, the ratio, the goal and whether it is met. Timings never decide the exit code.
 */

export type TargetRow = {
  target: string;
  ours: string;
  floor: string;
  ratio: string;
  goal: string;
  met: boolean | null;
  /** Statements per request, ours · floor (BEGIN/COMMIT not counted). */
  statements?: string;
  /** PostgreSQL: pg queries per request, ours · floor (BEGIN/COMMIT counted). */
  roundTrips?: string;
};

export const fmt = {
  rps: (n: number) => Math.round(n).toLocaleString('en-US'),
  ms: (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1)),
  ratio: (n: number) => n.toFixed(2),
  mb: (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MB`,
  /** A per-request count: whole when it is, else one decimal. */
  count: (n: number) => (Math.abs(n - Math.round(n)) < 0.05 ? String(Math.round(n)) : n.toFixed(1)),
};

/** `ours / floor ≤ limit` (latency) or `≥ limit` (throughput). */
export function ratioRow(
  target: string,
  ours: number,
  floor: number,
  unit: 'ms' | 'req/s',
  limit: number,
): TargetRow {
  const ratio = floor > 0 ? ours / floor : Number.NaN;
  const show = unit === 'ms' ? (n: number) => `${fmt.ms(n)} ms` : (n: number) => `${fmt.rps(n)} req/s`;
  return {
    target,
    ours: show(ours),
    floor: show(floor),
    ratio: `${fmt.ratio(ratio)}×`,
    goal: unit === 'ms' ? `≤ ${limit}× floor` : `≥ ${limit}× floor`,
    met: unit === 'ms' ? ratio <= limit : ratio >= limit,
  };
}

/** An absolute goal (seconds, ms, bytes) with no floor. */
export function absoluteRow(
  target: string,
  ours: number,
  limit: number,
  show: (n: number) => string,
  goal = `≤ ${show(limit)}`,
): TargetRow {
  return { target, ours: show(ours), floor: '—', ratio: '—', goal, met: ours <= limit };
}

/** A Markdown table; the statements (and round-trips) columns only when some row has them. */
export function targetsTable(rows: TargetRow[]): string {
  const withStatements = rows.some((r) => r.statements);
  const withRoundTrips = rows.some((r) => r.roundTrips);
  const head = ['target', 'ours', 'floor', 'ratio', 'goal', 'met?'];
  if (withStatements) head.push('statements/req ours · floor');
  if (withRoundTrips) head.push('round trips/req ours · floor');
  const body = rows.map((r) => {
    const cells = [
      r.target,
      r.ours,
      r.floor,
      r.ratio,
      r.goal,
      r.met === null ? '—' : r.met ? 'met' : 'NOT met',
    ];
    if (withStatements) cells.push(r.statements ?? '');
    if (withRoundTrips) cells.push(r.roundTrips ?? '');
    return cells;
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 2)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), sep, ...body.map(line)].join('\n');
}
