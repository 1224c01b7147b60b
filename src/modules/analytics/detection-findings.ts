import type { AlertView } from './alert-view.ts';
import type { DetectionDeps } from './detection-context.ts';
import {
  addDays,
  extendNotes,
  loadDetectorData,
  loadNotes,
  MAX_LAG_DAYS,
  type NoteRow,
  notesFromRows,
  phrasesOfRow,
} from './detection-queries.ts';
import { DEFAULT_DETECTOR_OPTIONS, detectIssues } from './early-warning.ts';
import { extractThemes } from './themes.ts';

/** Reference notes: the tenant's latest this many (enough to know what is ordinary). */
export const REFERENCE_NOTES = 20_000;
/** Days of notes the themes of a SKU or category look at by default. */
export const THEME_DAYS = 365;

/** Phrase counts of a set of note rows, with the rows kept so a target can be subtracted exactly. */
type NoteCorpus = {
  rows: { sku: string; category: string; phrases: Set<string> }[];
  counts: Map<string, number>;
};

export function corpusOf(rows: NoteRow[]): NoteCorpus {
  const counts = new Map<string, number>();
  const out = rows.map((r) => {
    const phrases = phrasesOfRow(r);
    for (const p of phrases) counts.set(p, (counts.get(p) ?? 0) + 1);
    return { sku: r.sku, category: r.category, phrases };
  });
  return { rows: out, counts };
}

/** The reference without the target's own notes (a SKU's complaints must not dilute their own lift). */
export function referenceWithout(c: NoteCorpus, keep: (r: { sku: string; category: string }) => boolean) {
  const counts = new Map(c.counts);
  let docs = 0;
  for (const r of c.rows) {
    if (keep(r)) {
      docs++;
      continue;
    }
    for (const p of r.phrases) {
      const left = counts.get(p)! - 1;
      if (left > 0) counts.set(p, left);
      else counts.delete(p);
    }
  }
  return { docs, counts };
}

/** `countPhrases` of note rows, with each row's phrases worked out once. */
function countPhrasesOf(rows: NoteRow[]): { docs: number; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  for (const r of rows) for (const p of phrasesOfRow(r)) counts.set(p, (counts.get(p) ?? 0) + 1);
  return { docs: rows.length, counts };
}

/** The detector run over the core tables as of a day, with the phrases customers use. */
export function createFindings(deps: DetectionDeps) {
  const { db, dialect } = deps;
  const options = { ...DEFAULT_DETECTOR_OPTIONS, ...deps.options };
  const spanDays = Math.max(...options.windows) + options.baselineDays + MAX_LAG_DAYS + 1;

  /** Findings as of a day, each with the top phrases of its SKU's notes since the excess began. */
  async function compute(tenantId: string, asOf: string) {
    const { input, notes: loaded } = await loadDetectorData(
      db,
      dialect,
      tenantId,
      asOf,
      spanDays,
      options.phraseWindow + options.baselineDays,
    );
    const result = detectIssues(input, options);
    const phrases = new Map<string, AlertView['phrases']>();
    if (result.elevated.length) {
      // The notes the detector read answer these reads when they cover them (same rows, same order).
      // A SKU's themes read from a week before its excess began, which can be before those notes.
      const since = result.elevated.map((f) => addDays(f.since, -7)).sort()[0]!;
      const rows = await extendNotes(db, dialect, tenantId, loaded, since);
      const notes = async (q: { from: string; asOf: string; limit: number; sku?: string }) =>
        notesFromRows(rows, q) ?? (await loadNotes(db, dialect, tenantId, q));
      const reference = corpusOf(
        await notes({ from: addDays(asOf, -THEME_DAYS), asOf, limit: REFERENCE_NOTES }),
      );
      for (const sku of new Set(result.elevated.map((f) => f.sku))) {
        const first = result.elevated
          .filter((f) => f.sku === sku)
          .map((f) => f.since)
          .sort()[0]!;
        const target = await notes({ from: addDays(first, -7), asOf, limit: 2_000, sku });
        const themes = extractThemes(
          countPhrasesOf(target),
          referenceWithout(reference, (r) => r.sku !== sku),
          { limit: 5 },
        );
        phrases.set(
          sku,
          themes.map((t) => ({ phrase: t.phrase, count: t.count, lift: t.lift })),
        );
      }
    }
    return { ...result, phrases };
  }

  return { compute };
}

export type Findings = ReturnType<typeof createFindings>;
