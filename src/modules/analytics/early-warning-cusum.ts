/**
 * CUSUM for a Poisson rate rising from `r0` to `ratio × r0`: answers the index after the last
 * time the statistic stood at zero before its final value (the start of the current excess).
 */
export function cusumStart(
  returns: ArrayLike<number>,
  exposure: ArrayLike<number>,
  r0: number,
  ratio: number,
): number {
  const lnR = Math.log(ratio);
  let s = 0;
  let lastZero = -1;
  let best = 0;
  let bestAt = returns.length - 1;
  for (let d = 0; d < returns.length; d++) {
    s = Math.max(0, s + returns[d]! * lnR - (ratio - 1) * r0 * exposure[d]!);
    if (s === 0) lastZero = d;
    if (s >= best) {
      best = s;
      bestAt = d;
    }
  }
  // The excess may have stopped just before the as-of day: start from the run that ends at the peak.
  if (s === 0) {
    let z = -1;
    let t = 0;
    for (let d = 0; d <= bestAt; d++) {
      t = Math.max(0, t + returns[d]! * lnR - (ratio - 1) * r0 * exposure[d]!);
      if (t === 0) z = d;
    }
    return z + 1;
  }
  return lastZero + 1;
}
