/**
 * A progress line for long CLI jobs on stderr: a redrawn bar on a terminal, plain lines every
 * few seconds (and at the end of each phase) when stderr is a file or a pipe, so logs stay readable.
 */
export function createProgress(
  out: { isTTY?: boolean; write: (s: string) => unknown } = process.stderr,
  opts: { intervalMs?: number; now?: () => number } = {},
) {
  const now = opts.now ?? Date.now;
  const interval = opts.intervalMs ?? (out.isTTY ? 100 : 2000);
  let phase = '';
  let started = now();
  let last = Number.NEGATIVE_INFINITY;
  let drawn = false;

  function line(label: string, done: number, total: number | undefined): string {
    const secs = Math.max(0.001, (now() - started) / 1000);
    const rate = `${formatCount(done / secs)}/s`;
    if (!total) return `${label}: ${formatCount(done)} rows (${rate})`;
    const pct = Math.min(100, Math.floor((done / total) * 100));
    if (!out.isTTY) return `${label}: ${done}/${total} (${pct}%, ${rate})`;
    const width = 30;
    const fill = Math.round((pct / 100) * width);
    return `${label.padEnd(8)} [${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${String(pct).padStart(3)}% ${done}/${total} ${rate}`;
  }

  return {
    update(label: string, done: number, total?: number) {
      if (label !== phase) {
        if (drawn && out.isTTY) out.write('\n');
        phase = label;
        started = now();
        last = Number.NEGATIVE_INFINITY;
        drawn = false;
      }
      const finished = total !== undefined && done >= total;
      if (!finished && now() - last < interval) return;
      last = now();
      drawn = true;
      out.write(
        out.isTTY
          ? `\r${line(label, done, total)}\x1b[K${finished ? '\n' : ''}`
          : `${line(label, done, total)}\n`,
      );
      if (finished) drawn = false;
    },
    /** Ends a bar left open on a terminal. */
    done() {
      if (drawn && out.isTTY) out.write('\n');
      drawn = false;
    },
  };
}

export function formatCount(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${(n / 1000).toFixed(0)}k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)}k`;
  return String(Math.round(n));
}
