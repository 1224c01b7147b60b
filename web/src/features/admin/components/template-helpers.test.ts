import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api.ts';
import { translator } from '../../../lib/i18n/i18n-provider.tsx';
import '../../../lib/i18n/staff-catalogues.ts';
import {
  eventLabel,
  eventName,
  fieldErrorsOf,
  isRewritten,
  overrideOf,
  startingDraft,
} from './template-helpers.ts';

describe('eventLabel', () => {
  it('reads an event name as words', () => {
    expect(eventLabel('return_in_transit')).toBe('Return in transit');
    expect(eventLabel('refund.succeeded')).toBe('Refund succeeded');
  });
});

describe('eventName', () => {
  it('names every notification in the reader’s language; English reads as before', () => {
    const zh = translator('zh-CN');
    expect(eventName(zh, 'return_in_transit')).toBe('退货运输中');
    expect(eventName(translator('en'), 'return_in_transit')).toBe(eventLabel('return_in_transit'));
    // An event newer than the catalogue still shows, as words.
    expect(eventName(zh, 'return_lost')).toBe('Return lost');
  });
});

describe('fieldErrorsOf', () => {
  it('puts each template problem under its field', () => {
    const e = new ApiError(422, 'invalid_template', 'The template is not valid: subject …', [
      { field: 'subject', message: 'unknown variable {{nope}}' },
      { field: 'html', message: 'javascript: links are not allowed' },
      { field: 'subject', message: 'must be a single line' },
    ]);
    expect(fieldErrorsOf(e)).toEqual({
      subject: 'Unknown variable {{nope}}; must be a single line.',
      html: 'Javascript: links are not allowed.',
    });
  });

  it('keeps any other failure as one message', () => {
    expect(fieldErrorsOf(new ApiError(0, 'network_error', 'The server could not be reached.'))).toEqual({
      _: 'The server could not be reached.',
    });
  });
});

const builtIn = {
  subject: 'Your return {{rmaNumber}} is approved',
  text: 'Hi {{customerName}},\n\nGood news.',
  html: '<p>Good news.</p>',
  sms: '{{shopName}}: approved {{rmaNumber}}',
};

describe('startingDraft', () => {
  it('starts from the built-in text when the shop has rewritten nothing', () => {
    expect(startingDraft(builtIn, null)).toEqual(builtIn);
  });

  it("takes the shop's fields and keeps the built-in text for the others (and for blank ones)", () => {
    expect(startingDraft(builtIn, { subject: 'Approved: {{rmaNumber}}', sms: '  ' })).toEqual({
      ...builtIn,
      subject: 'Approved: {{rmaNumber}}',
    });
  });
});

describe('overrideOf', () => {
  it('is empty for the built-in text, even with whitespace added at the ends', () => {
    expect(overrideOf(builtIn, builtIn)).toEqual({});
    expect(overrideOf({ ...builtIn, subject: ` ${builtIn.subject}\n` }, builtIn)).toEqual({});
  });

  it('keeps only the fields that differ from the built-in text, as typed', () => {
    expect(overrideOf({ ...builtIn, text: 'Hello {{customerName}} ' }, builtIn)).toEqual({
      text: 'Hello {{customerName}} ',
    });
  });

  it('leaves an emptied field out: it goes back to the built-in text', () => {
    expect(overrideOf({ ...builtIn, html: '', sms: 'New {{rmaNumber}}' }, builtIn)).toEqual({
      sms: 'New {{rmaNumber}}',
    });
  });
});

describe('isRewritten', () => {
  it('counts a filled field of the override, not a blank or missing one', () => {
    expect(isRewritten({ subject: 'x' }, 'subject')).toBe(true);
    expect(isRewritten({ subject: ' ' }, 'subject')).toBe(false);
    expect(isRewritten({ subject: 'x' }, 'sms')).toBe(false);
    expect(isRewritten(null, 'subject')).toBe(false);
  });
});
