/**
 * How long a test waits for something that should happen (a page element, a worker's delivery,
 * an SSE event). Sized for a busy 2-core machine running two suites side by side, not for a quiet
 * laptop: a wait that runs out here is something that did not happen, never something slow. No
 * test asserts a time.
 */
export const WAIT_MS = 30_000;
