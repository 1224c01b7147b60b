import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyExponent } from '../../platform/money.ts';
import { smsSegments } from './sms.ts';
import {
  DEFAULT_TEMPLATES,
  formatAmount,
  formatDate,
  LOCALES,
  NOTIFY_EVENTS,
  renderTemplate,
  type TemplateVars,
  templateProblems,
  templateVariables,
} from './templates.ts';

const allVars: TemplateVars = {
  shopName: 'Acme Outfitters',
  customerName: 'Ana',
  rmaNumber: 'RMA-1042',
  orderNumber: '#10017',
  trackingUrl: 'https://returns.example.com/r/abc123',
  unsubscribeUrl: 'https://returns.example.com/u/tok',
  status: 'Approved',
  refundAmount: '$45.99',
  items: '1 × Blue shirt (M)\n2 × Socks',
  explanation: 'The item was outside the return window.',
  message: 'We got your photos, thanks!',
  carrier: 'UPS',
  trackingNumber: '1Z999AA10123456784',
  deadline: 'March 5, 2025',
  changes: 'Return approved\nPackage received',
};

const cases = NOTIFY_EVENTS.flatMap((event) => LOCALES.map((locale) => [event, locale] as const));

describe('default templates', () => {
  it.each(cases)('%s in %s renders every field with every placeholder filled', (event, locale) => {
    const t = DEFAULT_TEMPLATES[event][locale];
    for (const field of ['subject', 'text', 'html', 'sms'] as const) {
      const mode = field === 'html' ? 'html' : 'text';
      const out = renderTemplate(t[field], allVars, mode);
      expect(out.trim(), field).not.toBe('');
      expect(out, field).not.toMatch(/\{\{|\}\}/);
    }
    expect(renderTemplate(t.subject, allVars, 'text')).toContain('RMA-1042');
    // Every channel tells the customer where to follow the return.
    expect(renderTemplate(t.text, allVars, 'text')).toContain(allVars.trackingUrl);
    expect(renderTemplate(t.sms, allVars, 'text')).toContain(allVars.trackingUrl);
    expect(renderTemplate(t.html, allVars, 'html')).toContain(`href="${allVars.trackingUrl}"`);
  });

  it.each(cases)('%s in %s passes its own validation', (event, locale) => {
    expect(templateProblems(DEFAULT_TEMPLATES[event][locale])).toEqual([]);
  });

  it('digest lists the changes and staff_message carries the message', () => {
    for (const locale of LOCALES) {
      expect(renderTemplate(DEFAULT_TEMPLATES.digest[locale].text, allVars, 'text')).toContain(
        'Package received',
      );
      expect(renderTemplate(DEFAULT_TEMPLATES.staff_message[locale].text, allVars, 'text')).toContain(
        'We got your photos',
      );
    }
  });

  it('English SMS copy fits one GSM-7 segment before variables', () => {
    for (const event of NOTIFY_EVENTS) {
      const fixed = DEFAULT_TEMPLATES[event].en.sms.replace(/\{\{[^}]*\}\}/g, '');
      const seg = smsSegments(fixed);
      expect(seg.encoding, event).toBe('GSM-7');
      expect(seg.units, event).toBeLessThanOrEqual(160);
    }
  });

  it('zh-CN copy is Chinese, with no spaces around CJK punctuation', () => {
    for (const event of NOTIFY_EVENTS) {
      const t = DEFAULT_TEMPLATES[event]['zh-CN'];
      for (const field of ['subject', 'text', 'html', 'sms'] as const) {
        expect(t[field], `${event}.${field}`).toMatch(/\p{Script=Han}/u);
        expect(t[field], `${event}.${field}`).not.toMatch(
          /[ \t\u3000][，。：；！？、（）【】「」]|[，。：；！？、（）【】「」][ \t\u3000]/,
        );
      }
    }
  });

  it('Spanish copy uses its own punctuation, not English copy', () => {
    expect(DEFAULT_TEMPLATES.return_approved.es.text).toContain('¡Buenas noticias!');
    expect(DEFAULT_TEMPLATES.return_requested.es.subject).toContain('devolución');
  });
});

describe('renderTemplate', () => {
  it('escapes values in html mode and leaves them alone in text mode', () => {
    const vars = { ...allVars, customerName: '<script>alert("x")</script> & Co' };
    expect(renderTemplate('Hi {{customerName}}', vars, 'html')).toBe(
      'Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co',
    );
    expect(renderTemplate('Hi {{customerName}}', vars, 'text')).toBe(`Hi ${vars.customerName}`);
  });

  it('turns newlines of list values into <br> in html mode', () => {
    expect(renderTemplate('<p>{{items}}</p>', allVars, 'html')).toBe(
      '<p>1 × Blue shirt (M)<br>2 × Socks</p>',
    );
  });

  it('renders unknown and missing placeholders as empty, tolerating spaces in the braces', () => {
    const vars = { ...allVars, carrier: undefined };
    expect(renderTemplate('[{{nope}}][{{carrier}}][{{ rmaNumber }}]', vars, 'text')).toBe('[][][RMA-1042]');
  });

  it('does not reach Object.prototype', () => {
    expect(renderTemplate('{{constructor}}{{toString}}{{hasOwnProperty}}', allVars, 'text')).toBe('');
    // Not a valid name, so not a placeholder at all; validation reports it.
    expect(renderTemplate('{{__proto__}}', allVars, 'text')).toBe('{{__proto__}}');
    expect(templateProblems({ text: '{{__proto__}}' })[0]?.message).toContain('invalid placeholder');
  });

  it('never expands placeholders inside values (single pass)', () => {
    const vars = { ...allVars, message: 'see {{unsubscribeUrl}}' };
    expect(renderTemplate('{{message}}', vars, 'text')).toBe('see {{unsubscribeUrl}}');
  });

  it('keeps script URLs out of html links', () => {
    const vars = { ...allVars, trackingUrl: 'javascript:alert(1)' };
    expect(renderTemplate('<a href="{{trackingUrl}}">x</a>', vars, 'html')).toBe('<a href="">x</a>');
    expect(renderTemplate('<a href="{{trackingUrl}}">x</a>', allVars, 'html')).toContain(
      'https://returns.example.com',
    );
  });

  it('lists the variables a template uses', () => {
    expect(templateVariables('{{a}} {{ b }} {{a}} {{1x}}')).toEqual(['a', 'b']);
  });
});

describe('templateProblems', () => {
  it('reports unknown variables', () => {
    expect(templateProblems({ text: 'Hi {{firstName}}, {{rmaNumber}}' })).toEqual([
      { field: 'text', message: 'unknown variable {{firstName}}' },
    ]);
  });

  it('reports unbalanced and malformed braces', () => {
    expect(templateProblems({ subject: 'Return {{rmaNumber' })).toEqual([
      { field: 'subject', message: expect.stringContaining('unbalanced') },
    ]);
    expect(templateProblems({ text: 'Return rmaNumber}} ok' })[0]?.message).toContain('unbalanced');
    expect(templateProblems({ text: '{{ rma number }}' })[0]?.message).toContain('invalid placeholder');
    expect(templateProblems({ html: '<p>{{{message}}}</p>' }).map((p) => p.message)).toContain(
      'triple braces are not supported: values are always escaped',
    );
  });

  it('allows single braces (CSS) in html', () => {
    expect(templateProblems({ html: '<p style="x">{{rmaNumber}}</p><style>a{color:red}</style>' })).toEqual(
      [],
    );
  });

  it('rejects script, event handlers and whole documents in html', () => {
    expect(templateProblems({ html: '<script>x()</script>' })).toHaveLength(1);
    expect(templateProblems({ html: '<img src=x onerror="x()">' })).toHaveLength(1);
    expect(templateProblems({ html: '<a href="javascript:x()">a</a>' })).toHaveLength(1);
    expect(templateProblems({ html: '<html><body>hi</body></html>' })).toHaveLength(1);
  });

  it('rejects empty fields and multi-line subjects', () => {
    expect(templateProblems({ subject: '  ' })).toEqual([{ field: 'subject', message: 'must not be empty' }]);
    expect(templateProblems({ subject: 'a\nb' })).toEqual([
      { field: 'subject', message: 'must be a single line' },
    ]);
  });

  it('rejects SMS longer than three segments', () => {
    expect(templateProblems({ sms: `${'a'.repeat(458)} {{trackingUrl}}` })).toEqual([]);
    expect(templateProblems({ sms: 'a'.repeat(460) })).toEqual([
      { field: 'sms', message: 'too long: 4 segments before variables (max 3)' },
    ]);
    expect(templateProblems({ sms: '退'.repeat(202) })[0]?.field).toBe('sms');
  });
});

describe('formatAmount', () => {
  it('formats JPY, USD and KWD with their own minor units', () => {
    expect(formatAmount(1500, 'JPY', 'en')).toBe('¥1,500');
    expect(formatAmount(4599, 'USD', 'en')).toBe('$45.99');
    expect(formatAmount(5, 'USD', 'en')).toBe('$0.05');
    expect(formatAmount(12345, 'KWD', 'en')).toBe('KWD\u00a012.345');
    expect(formatAmount(-250, 'USD', 'en')).toBe('-$2.50');
    expect(formatAmount(1500, 'jpy', 'en')).toBe('¥1,500');
    expect(formatAmount(0, 'KWD', 'en')).toBe('KWD\u00a00.000');
  });

  it('is exact for large amounts where dividing floats is not', () => {
    expect(formatAmount(123456789012345, 'JPY', 'en')).toBe('¥123,456,789,012,345');
    expect(formatAmount(123456789012345, 'USD', 'en')).toBe('$1,234,567,890,123.45');
    expect(formatAmount(123456789012345, 'KWD', 'en')).toBe('KWD\u00a0123,456,789,012.345');
    // 9007199254740991 / 100 is 90071992547409.90 in binary floating point.
    expect(formatAmount(Number.MAX_SAFE_INTEGER, 'USD', 'en')).toBe('$90,071,992,547,409.91');
    expect(formatAmount(Number.MAX_SAFE_INTEGER, 'KWD', 'en')).toBe('KWD\u00a09,007,199,254,740.991');
  });

  it('follows the locale', () => {
    expect(formatAmount(123456, 'EUR', 'es')).toBe('1234,56\u00a0€');
    expect(formatAmount(123456, 'CNY', 'zh-CN')).toBe('¥1,234.56');
    expect(formatAmount(123456789, 'KWD', 'es')).toBe('123.456,789\u00a0KWD');
  });

  it('rejects amounts that are not safe integers', () => {
    expect(() => formatAmount(1.5, 'USD', 'en')).toThrow(RangeError);
    expect(() => formatAmount(2 ** 53, 'USD', 'en')).toThrow(RangeError);
  });

  it('shows exactly the digits of the amount, for any safe integer', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.constantFrom('JPY', 'USD', 'KWD', 'CLF'), (amount, currency) => {
        const digits = formatAmount(amount, currency, 'en').replace(/\D/g, '');
        const expected = BigInt(Math.abs(amount))
          .toString()
          .padStart(currencyExponent(currency) + 1, '0');
        expect(digits).toBe(expected);
      }),
    );
  });
});

describe('formatDate', () => {
  it('uses the long date style of each locale', () => {
    expect(formatDate('2025-03-05', 'en')).toBe('March 5, 2025');
    expect(formatDate('2025-03-05', 'zh-CN')).toBe('2025年3月5日');
    expect(formatDate('2025-03-05', 'es')).toBe('5 de marzo de 2025');
  });

  it('keeps a date-only value on its calendar day in any time zone', () => {
    expect(formatDate('2025-03-05', 'en', 'America/Los_Angeles')).toBe('March 5, 2025');
  });

  it('converts timestamps to the given time zone', () => {
    expect(formatDate('2025-03-05T02:00:00Z', 'en', 'America/New_York')).toBe('March 4, 2025');
    expect(formatDate('2025-03-05T02:00:00Z', 'en')).toBe('March 5, 2025');
  });

  it('rejects what is not a date', () => {
    expect(() => formatDate('soon', 'en')).toThrow(RangeError);
  });
});
