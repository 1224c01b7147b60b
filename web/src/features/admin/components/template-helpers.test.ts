import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api.ts';
import { eventLabel, fieldErrorsOf } from './template-helpers.ts';

describe('eventLabel', () => {
  it('reads an event name as words', () => {
    expect(eventLabel('return_in_transit')).toBe('Return in transit');
    expect(eventLabel('refund.succeeded')).toBe('Refund succeeded');
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
