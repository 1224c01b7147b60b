import { AppError } from '../../platform/errors.ts';

/** What the history import reports: the problems it found, its progress, and what it did. */

export type ImportProblem = { file: 'orders' | 'returns'; row: number; field: string; message: string };
export type ImportProgress = { phase: 'orders' | 'returns'; done: number; total?: number };
export type ImportResult = {
  orders: number;
  lines: number;
  returns: number;
  created: number;
  unchanged: number;
};

/** At most this many problems are reported; the count of all of them is in the message. */
export const MAX_PROBLEMS = 100;
/** Orders or returns written per step (bulkInsert splits them into statements); progress is reported per step. */
export const BATCH = 5000;

/** Throws the problems found, if any: nothing is written then (422, sorted by file and row). */
export function failIfProblems(problems: ImportProblem[], count: number) {
  if (count === 0) return;
  const first = problems[0]!;
  throw new AppError(
    422,
    'import_invalid',
    `${count} problem${count === 1 ? '' : 's'} in the import, nothing was imported; the first: ${first.file} row ${first.row}, ${first.field} ${first.message}.`,
    problems.slice().sort((a, b) => (a.file === b.file ? a.row - b.row : a.file === 'orders' ? -1 : 1)),
  );
}
