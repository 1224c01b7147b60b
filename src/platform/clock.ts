/** Time comes from a clock so that tests can fix it. */
export type Clock = { now: () => Date };

export const systemClock: Clock = { now: () => new Date() };

/** A clock stuck at `iso` (tests); `advance` moves it forward. */
export function fixedClock(
  iso: string,
): Clock & { advance: (ms: number) => void; set: (iso: string) => void } {
  let t = new Date(iso).getTime();
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
    set: (s) => {
      t = new Date(s).getTime();
    },
  };
}
