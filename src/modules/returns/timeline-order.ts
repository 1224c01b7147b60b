/**
 * Timeline order: when each thing happened, then the order it was written in. A recorded time
 * may be earlier than the writing (a scan entered late, an import), so time comes first; ids
 * carry their creation time after the prefix, so within one instant they keep writing order.
 */
export function byTimeThenId(a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) {
  const ta = Date.parse(a.createdAt);
  const tb = Date.parse(b.createdAt);
  if (ta !== tb) return ta - tb;
  const ia = a.id.slice(a.id.indexOf('_') + 1);
  const ib = b.id.slice(b.id.indexOf('_') + 1);
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}
