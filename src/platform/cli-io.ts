/** Where a command reads its configuration and writes its lines: the process, or a test's buffers. */
export type CliIo = {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Progress bars go here (stderr); a bar is drawn only when it is a terminal. */
  progress: { isTTY?: boolean; write: (s: string) => unknown };
};

export const processIo: CliIo = {
  env: process.env,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  progress: process.stderr,
};
