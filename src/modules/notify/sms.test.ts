import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitSms, isE164, normalizePhone, smsSegments } from './sms.ts';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('isE164', () => {
  it.each(['+14155552671', '+8613800138000', '+34612345678', '+12345678', '+123456789012345'])(
    'accepts %s',
    (n) => expect(isE164(n)).toBe(true),
  );

  it.each([
    ['no plus', '14155552671'],
    ['a leading 0 after the plus', '+04155552671'],
    ['7 digits', '+1234567'],
    ['16 digits', '+1234567890123456'],
    ['spaces', '+1 415 555 2671'],
    ['letters', '+1415555CALL'],
    ['an empty string', ''],
  ])('refuses %s', (_, n) => expect(isE164(n)).toBe(false));
});

describe('normalizePhone', () => {
  it.each([
    ['+1 (415) 555-2671', undefined, '+14155552671'],
    ['(415) 555-2671', '1', '+14155552671'],
    ['415.555.2671', '1', '+14155552671'],
    ['1-415-555-2671', '1', '+14155552671'],
    ['001 415 555 2671', undefined, '+14155552671'],
    ['138 0013 8000', '86', '+8613800138000'],
    ['0086 138-0013-8000', undefined, '+8613800138000'],
    ['+86 10 6552 9988', undefined, '+861065529988'],
    ['010 6552 9988', '86', '+861065529988'],
    ['＋８６ １３８ ００１３ ８０００', undefined, '+8613800138000'],
    ['612 34 56 78', '34', '+34612345678'],
    ['0034 612 345 678', undefined, '+34612345678'],
    ['+34 91 123 45 67', '1', '+34911234567'],
    ['07700 900123', '44', '+447700900123'],
    ['+44 (0)20 7946 0958', undefined, '+442079460958'],
    ['06 6982 0000', '39', '+390669820000'],
    ['347 123 4567', '+39', '+393471234567'],
  ])('%s (default %s) is %s', (input, cc, expected) => {
    expect(normalizePhone(input, cc)).toBe(expected);
  });

  it.each([
    ['a national number without a default country', '612 34 56 78', undefined],
    ['letters', '+1 415 555 CALL', '1'],
    ['too few digits', '+1 415', undefined],
    ['00 alone', '00', '34'],
    ['a plus in the middle', '34+612345678', '34'],
    ['an empty string', '', '34'],
    ['a country code of 0', '+0 612 345 678', undefined],
  ])('refuses %s', (_, input, cc) => {
    expect(normalizePhone(input, cc)).toBeNull();
  });

  it('only drops one trunk 0', () => {
    expect(normalizePhone('0612345678', '34')).toBe('+34612345678');
    // Two zeros are the international prefix, not a doubled trunk 0: this is an Australian number.
    expect(normalizePhone('00612345678', '34')).toBe('+612345678');
  });

  it('throws on a default country code that is not one (a programmer error)', () => {
    expect(() => normalizePhone('612345678', 'ES')).toThrow(RangeError);
  });

  it('returns E.164 or null for any input', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(undefined, '1', '34', '86'), (input, cc) => {
        const n = normalizePhone(input, cc);
        return n === null || isE164(n);
      }),
    );
  });
});

describe('smsSegments', () => {
  it('fits 160 GSM characters in one segment and 161 in two of 153', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({
      encoding: 'GSM-7',
      units: 160,
      segments: 1,
      perSegment: 160,
    });
    expect(smsSegments('a'.repeat(161))).toEqual({
      encoding: 'GSM-7',
      units: 161,
      segments: 2,
      perSegment: 153,
    });
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('counts an empty text as nothing to send', () => {
    expect(smsSegments('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 0, perSegment: 160 });
  });

  it('keeps GSM accents and symbols (é, ñ, £, Δ, @) in GSM-7', () => {
    expect(smsSegments('Reçu? Non: é ñ £ Δ @ ¿ ß').encoding).toBe('UCS-2'); // ç is not GSM
    expect(smsSegments('Recu? Non: é ñ £ \u0394 @ ¿ ß Ç')).toMatchObject({ encoding: 'GSM-7', units: 26 });
  });

  it('counts extension characters ^{}\\[~]|€ as two septets', () => {
    expect(smsSegments('^{}\\[~]|€')).toMatchObject({ encoding: 'GSM-7', units: 18, segments: 1 });
    expect(smsSegments('€'.repeat(80))).toMatchObject({ units: 160, segments: 1 });
    expect(smsSegments('€'.repeat(81))).toMatchObject({ units: 162, segments: 2 });
  });

  it('does not split an escape sequence across segments', () => {
    // 306 septets would fit two segments of 153, but the € cannot start at septet 153.
    const text = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    expect(smsSegments(text)).toMatchObject({ units: 306, segments: 3 });
  });

  it('switches the whole message to UCS-2 for one Chinese character (70 / 67)', () => {
    expect(smsSegments(`${'a'.repeat(100)}退`)).toEqual({
      encoding: 'UCS-2',
      units: 101,
      segments: 2,
      perSegment: 67,
    });
    expect(smsSegments('退'.repeat(70))).toEqual({
      encoding: 'UCS-2',
      units: 70,
      segments: 1,
      perSegment: 70,
    });
    expect(smsSegments('退'.repeat(71))).toMatchObject({ segments: 2, perSegment: 67 });
    expect(smsSegments('退'.repeat(134)).segments).toBe(2);
    expect(smsSegments('退'.repeat(135)).segments).toBe(3);
  });

  it('counts an emoji as two UTF-16 code units and never splits the pair', () => {
    expect(smsSegments('📦')).toEqual({ encoding: 'UCS-2', units: 2, segments: 1, perSegment: 70 });
    expect(smsSegments('📦'.repeat(35))).toMatchObject({ units: 70, segments: 1 });
    // 134 code units would fit two segments of 67, but only 33 pairs fit in each.
    expect(smsSegments('📦'.repeat(67))).toMatchObject({ units: 134, segments: 3 });
  });

  const char = fc.oneof(
    fc.constantFrom('a', ' ', '\n', 'é', '€', '{', 'ç', '退', '📦', '👍🏽', '\u{1F1EA}\u{1F1F8}'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  );
  const text = fc.array(char, { maxLength: 400 }).map((cs) => cs.join(''));

  it('never decreases the segment count when a character is appended', () => {
    fc.assert(fc.property(text, char, (t, c) => smsSegments(t + c).segments >= smsSegments(t).segments));
  });
});

describe('fitSms', () => {
  it('leaves a text that fits alone', () => {
    const text = 'Your return R-1042 was approved.';
    expect(fitSms(text, 1)).toBe(text);
  });

  it("shortens GSM-7 text with '...' so it stays GSM-7", () => {
    const out = fitSms(`Your refund of 25.00 EUR is on its way. ${'x'.repeat(200)}`, 1);
    expect(out.endsWith('...')).toBe(true);
    expect(smsSegments(out)).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
  });

  it("shortens UCS-2 text with '…' and drops the space before it", () => {
    const out = fitSms(`您的退货已批准 ${'退'.repeat(100)}`, 1);
    expect(out).toBe(`您的退货已批准 ${'退'.repeat(61)}…`);
    expect(smsSegments(out)).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(fitSms(`${'a'.repeat(67)}退 ${'退'.repeat(10)}`, 1)).toBe(`${'a'.repeat(67)}退…`);
  });

  it('keeps an emoji whole at the cut', () => {
    const out = fitSms(`${'退'.repeat(67)}👍🏽👍🏽`, 1);
    expect(out).toBe(`${'退'.repeat(67)}…`);
  });

  it('prefers the longer GSM-7 prefix when the only wide character would be cut off anyway', () => {
    // 159 letters then an emoji: cutting before the emoji leaves GSM-7 room for 157 letters.
    const out = fitSms(`${'a'.repeat(159)}📦`, 1);
    expect(out).toBe(`${'a'.repeat(157)}...`);
  });

  it('throws on a segment budget below 1', () => {
    expect(() => fitSms('hi', 0)).toThrow(RangeError);
  });

  const char = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom('a', 'b', ' ', '€', '{', 'é', '退', 'ç', '📦', '👍🏽', '\u{1F1EA}\u{1F1F8}'),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  );
  const text = fc.array(char, { maxLength: 500 }).map((cs) => cs.join(''));

  it('always fits, and is the text itself or a prefix of it plus the ellipsis of its encoding', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 4 }), (t, max) => {
        const out = fitSms(t, max);
        expect(smsSegments(out).segments).toBeLessThanOrEqual(max);
        expect(LONE_SURROGATE.test(out)).toBe(false);
        if (out === t) return;
        const ellipsis = smsSegments(out).encoding === 'GSM-7' ? '...' : '…';
        expect(out.endsWith(ellipsis)).toBe(true);
        expect(t.startsWith(out.slice(0, -ellipsis.length))).toBe(true);
      }),
    );
  });
});
