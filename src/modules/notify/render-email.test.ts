import { describe, expect, it } from 'vitest';
import { renderEmail } from './render-email.ts';
import { LOCALES, NOTIFY_EVENTS, type TemplateVars } from './templates.ts';

const vars: TemplateVars = {
  shopName: 'Acme & Sons',
  customerName: 'Ana <b>',
  rmaNumber: 'RMA-1042',
  orderNumber: '#10017',
  trackingUrl: 'https://returns.example.com/r/abc123',
  unsubscribeUrl: 'https://returns.example.com/u/tok?x=1&y=2',
  carrier: 'UPS',
  trackingNumber: '1Z999AA10123456784',
  refundAmount: '$45.99',
  message: 'Line one\nLine two',
  changes: 'Approved\nReceived',
};

describe('renderEmail', () => {
  it.each(LOCALES)('builds a complete responsive document in %s', (locale) => {
    const { html } = renderEmail('return_approved', locale, vars);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`<html lang="${locale}"`);
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('max-width:600px');
    expect(html).toContain('role="presentation"');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('has a tracking button, a preheader and a footer that ends with the unsubscribe link', () => {
    const { html } = renderEmail('return_in_transit', 'en', vars);
    expect(html).toMatch(
      /<a href="https:\/\/returns\.example\.com\/r\/abc123" target="_blank" style="display:inline-block;[^"]*">Track your return<\/a>/,
    );
    // Preheader: hidden, and the first real sentence rather than the greeting.
    expect(html).toMatch(
      /<div style="display:none;[^"]*" aria-hidden="true">Your package is on its way back to us/,
    );
    const links = [...html.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)];
    expect(links.at(-1)?.[1]).toBe('https://returns.example.com/u/tok?x=1&amp;y=2');
    expect(links.at(-1)?.[2]).toBe('Unsubscribe from these emails');
    expect(html).toContain('Acme &amp; Sons</p>');
  });

  it('escapes values in the HTML and keeps them verbatim in the text', () => {
    const { html, text } = renderEmail('return_requested', 'en', vars);
    expect(html).toContain('Hi Ana &lt;b&gt;,');
    expect(html).not.toContain('Ana <b>');
    expect(text.startsWith('Hi Ana <b>,')).toBe(true);
  });

  it.each(NOTIFY_EVENTS)(
    'text part of %s spells out the links and ends with the unsubscribe line',
    (event) => {
      for (const locale of LOCALES) {
        const { subject, text, html } = renderEmail(event, locale, vars);
        expect(subject).toContain('RMA-1042');
        expect(text).toContain(vars.trackingUrl);
        expect(text).not.toMatch(/<(p|a|br|strong)\b/);
        expect(text.trimEnd().split('\n').at(-1)).toMatch(
          /https:\/\/returns\.example\.com\/u\/tok\?x=1&y=2$/,
        );
        expect(html).toContain(`href="${vars.trackingUrl}"`);
      }
    },
  );

  it('writes the unsubscribe line in the customer language', () => {
    expect(renderEmail('digest', 'zh-CN', vars).text).toMatch(
      /\n退订：https:\/\/returns\.example\.com\/u\/\S+\n$/,
    );
    expect(renderEmail('digest', 'es', vars).text).toMatch(/\nDarse de baja: https:\/\/\S+\n$/);
    expect(renderEmail('digest', 'es', vars).html).toContain('Darme de baja de estos correos');
  });

  it('leaves out paragraphs whose optional variable is missing', () => {
    const { text, html } = renderEmail('return_in_transit', 'en', { ...vars, trackingNumber: undefined });
    expect(text).toContain('Carrier: UPS');
    expect(text).not.toContain('Tracking number');
    expect(html).not.toContain('Tracking number');
    const rejected = renderEmail('return_rejected', 'en', vars);
    expect(rejected.text).not.toContain("Here's why");
  });

  it('keeps multi-line values as lines in both parts', () => {
    const { text, html } = renderEmail('staff_message', 'en', vars);
    expect(text).toContain('Line one\nLine two');
    expect(html).toContain('Line one<br>Line two');
  });

  it('keeps the subject on one line', () => {
    const { subject } = renderEmail('return_approved', 'en', { ...vars, rmaNumber: 'RMA-1\r\nBcc: x@y' });
    expect(subject).toBe('Good news: your return RMA-1 Bcc: x@y is approved');
  });

  describe('overrides', () => {
    const defaults = renderEmail('return_approved', 'en', vars);

    it('replace only the subject', () => {
      const r = renderEmail('return_approved', 'en', vars, { subject: 'Return {{rmaNumber}} OK' });
      expect(r.subject).toBe('Return RMA-1042 OK');
      expect(r.text).toBe(defaults.text);
      // The document title is the subject; nothing else in the HTML changes.
      expect(r.html).toContain('<title>Return RMA-1042 OK</title>');
      const untitled = (html: string) => html.replace(/<title>.*<\/title>/, '');
      expect(untitled(r.html)).toBe(untitled(defaults.html));
    });

    it('replace only the text', () => {
      const r = renderEmail('return_approved', 'en', vars, {
        text: 'Ship it back, {{customerName}}: {{trackingUrl}}',
      });
      expect(r.subject).toBe(defaults.subject);
      expect(r.text.startsWith('Ship it back, Ana <b>: https://returns.example.com/r/abc123\n\n-- \n')).toBe(
        true,
      );
      expect(r.html).toBe(defaults.html);
    });

    it('replace only the html fragment, inside the same layout', () => {
      const r = renderEmail('return_approved', 'en', vars, { html: '<p>Custom for {{customerName}}</p>' });
      expect(r.subject).toBe(defaults.subject);
      expect(r.text).toBe(defaults.text);
      expect(r.html).toContain('<p style="margin:0 0 16px;">Custom for Ana &lt;b&gt;</p>');
      expect(r.html).not.toContain('Good news!');
      expect(r.html).toContain('aria-hidden="true">Custom for Ana &lt;b&gt;&#847;');
      expect(r.html).toContain('Track your return</a>');
      expect(r.html).toContain('Unsubscribe from these emails</a>');
    });

    it('ignore blank fields', () => {
      expect(renderEmail('return_approved', 'en', vars, { subject: ' ', text: '', html: '' })).toEqual(
        defaults,
      );
    });

    it('still give the text part a tracking link when the override has none', () => {
      const r = renderEmail('return_approved', 'es', vars, { text: 'Hola, {{customerName}}.' });
      expect(r.text).toContain('Hola, Ana <b>.\n\nSigue tu devolución: https://returns.example.com/r/abc123');
    });
  });
});
