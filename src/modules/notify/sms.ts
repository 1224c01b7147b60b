/**
 * Phone numbers and SMS length, without I/O. Carriers bill and deliver per segment, and a
 * single character outside the GSM alphabet more than doubles the count, so templates are
 * measured here before they are sent.
 */

const E164 = /^\+[1-9]\d{7,14}$/;

/** True for `+` and 8–15 digits without a leading 0 (E.164 allows 15; fewer than 8 is junk). */
export function isE164(phone: string): boolean {
  return E164.test(phone);
}

/**
 * Trunk prefixes that differ from the usual single 0. In NANP the long-distance prefix is 1 and
 * area codes never start with 0 or 1, so an 11-digit number starting with 1 is unambiguous.
 * Italy keeps its leading 0 in international form (+39 06… is Rome); its mobiles start with 3.
 */
const TRUNK_PREFIX: Record<string, { prefix: string | null; nationalLength?: number }> = {
  '1': { prefix: '1', nationalLength: 11 },
  '39': { prefix: null },
};

/**
 * A phone number as typed by a customer in E.164, or null when it cannot be one.
 *
 * @example normalizePhone('0034 612 34 56 78') // '+34612345678'
 * @example normalizePhone('(415) 555-2671', '1') // '+14155552671'
 * @example normalizePhone('+44 (0)20 7946 0958') // '+442079460958'
 */
export function normalizePhone(input: string, defaultCountryCode?: string): string | null {
  const cc = defaultCountryCode?.replace(/^\+/, '');
  if (cc !== undefined && !/^[1-9]\d{0,2}$/.test(cc)) {
    throw new RangeError(`not a calling code: "${defaultCountryCode}"`);
  }
  // NFKC turns full-width digits and plus signs (common from CJK input methods) into ASCII.
  // "(0)" after a country code is the British/German way to show the trunk 0 that callers from
  // abroad leave out; keeping it would give a number that passes the regex but rings nobody.
  const compact = input
    .normalize('NFKC')
    .replace(/\(0\)/g, '')
    .replace(/[\s\-\u2010-\u2015.()]/g, '');
  let candidate: string;
  if (compact.startsWith('+')) candidate = compact;
  else if (compact.startsWith('00')) candidate = `+${compact.slice(2)}`;
  else if (cc !== undefined && /^\d+$/.test(compact)) {
    const trunk = TRUNK_PREFIX[cc] ?? { prefix: '0' };
    let national = compact;
    if (
      trunk.prefix !== null &&
      national.startsWith(trunk.prefix) &&
      (trunk.nationalLength === undefined || national.length === trunk.nationalLength)
    ) {
      national = national.slice(trunk.prefix.length);
    }
    candidate = `+${cc}${national}`;
  } else return null;
  return isE164(candidate) ? candidate : null;
}

export type SmsSegments = {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2. */
  units: number;
  /** 0 for an empty text: there is nothing to send. */
  segments: number;
  /** 160 / 70 when the text fits one SMS, else 153 / 67 (the rest carries the concatenation header). */
  perSegment: number;
};

// GSM 03.38 default alphabet, in table order, without ESC (0x1B). Greek capitals are escaped
// because look-alikes (Ω U+2126 OHM SIGN, Latin A for Α) would silently pass a visual review.
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅå\u0394_\u03A6\u0393\u039B\u03A9\u03A0\u03A8\u03A3\u0398\u039EÆæßÉ' +
    ' !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§' +
    '¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
// The extension table: ESC + one septet each. Form feed is in it too, though no template should use it.
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

const LIMITS = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
} as const;

function isGsm7(text: string): boolean {
  for (const ch of text) {
    if (!GSM_BASIC.has(ch) && !GSM_EXTENSION.has(ch)) return false;
  }
  return true;
}

/** Encoding, length and segment count of `text` as a carrier would send it. */
export function smsSegments(text: string): SmsSegments {
  const encoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
  const { single, multi } = LIMITS[encoding];
  // Per code point: a surrogate pair (2 code units) and an escape sequence (2 septets) are each
  // one indivisible unit, so a segment that cannot take all of it ends one short.
  const sizes: number[] = [];
  for (const ch of text) sizes.push(encoding === 'GSM-7' ? (GSM_EXTENSION.has(ch) ? 2 : 1) : ch.length);
  const units = sizes.reduce((a, b) => a + b, 0);
  if (units <= single) return { encoding, units, segments: units === 0 ? 0 : 1, perSegment: single };
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > multi) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return { encoding, units, segments, perSegment: multi };
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text` unchanged when it fits `maxSegments`, else its longest prefix that fits with an
 * ellipsis: '...' for GSM-7 text, since '…' is not in the GSM alphabet and would turn the whole
 * message into UCS-2; '…' for UCS-2 text, where it costs one unit instead of three.
 */
export function fitSms(text: string, maxSegments: number): string {
  if (!Number.isInteger(maxSegments) || maxSegments < 1) {
    throw new RangeError(`maxSegments must be a positive integer, got ${maxSegments}`);
  }
  if (smsSegments(text).segments <= maxSegments) return text;

  const withEllipsis = (prefix: string) => prefix + (isGsm7(prefix) ? '...' : '…');
  const fits = (cut: number) => smsSegments(withEllipsis(text.slice(0, cut))).segments <= maxSegments;

  // Cut between graphemes so that an emoji sequence, a flag or an accent is kept whole.
  const cuts = [...segmenter.segment(text)].map((s) => s.index);
  // The prefixes up to the first non-GSM character are GSM-7 and the rest UCS-2. Within each
  // group, fitting only gets harder as the prefix grows, but not across them (50 '€' are 100
  // septets, yet 50 units in UCS-2), so each group gets its own binary search.
  // Every GSM character is in the BMP, so a lone code unit is enough to test (a surrogate is not GSM).
  let wideAt = 0;
  while (wideAt < text.length && (GSM_BASIC.has(text[wideAt]!) || GSM_EXTENSION.has(text[wideAt]!))) wideAt++;
  const gsmCuts = cuts.filter((c) => c <= wideAt);
  const wideCuts = cuts.filter((c) => c > wideAt);
  const best = Math.max(lastFitting(gsmCuts, fits), lastFitting(wideCuts, fits));

  const prefix = text.slice(0, best);
  // "Your refund of..." reads better than "Your refund of ..."; the space stays only in the odd
  // case where dropping it (an ideographic space) turns the text GSM-7 and '...' no longer fits.
  const trimmed = prefix.trimEnd();
  if (trimmed !== prefix && smsSegments(withEllipsis(trimmed)).segments <= maxSegments) {
    return withEllipsis(trimmed);
  }
  return withEllipsis(prefix);
}

/** The largest cut in the ascending `cuts` for which `fits` holds, assuming it holds up to some point; 0 for none. */
function lastFitting(cuts: number[], fits: (cut: number) => boolean): number {
  let lo = 0;
  let hi = cuts.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const cut = cuts[mid]!;
    if (fits(cut)) {
      found = cut;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
