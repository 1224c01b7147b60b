import { describe, expect, it } from 'vitest';
import { en } from '../../../lib/i18n/en.ts';
import { es } from '../../../lib/i18n/es.ts';
import { reasonLabel } from './portal-text.ts';

const tr = (catalogue: Record<string, string>) => (key: string) => catalogue[key] ?? key;

describe('reasonLabel', () => {
  const defective = { code: 'defective', label: 'Defective', evidenceRequired: true };

  it("shows the shop's own English label, not our wording", () => {
    expect(reasonLabel(tr(en) as never, defective, 'en').text).toBe('Defective');
  });

  it("uses the shop's label in a language it wrote, and our translation where it wrote none", () => {
    const withSpanish = { ...defective, labels: { es: 'Defectuoso (tienda)' } };
    expect(reasonLabel(tr(es) as never, withSpanish, 'es').text).toBe('Defectuoso (tienda)');
    expect(reasonLabel(tr(es) as never, defective, 'es').text).toBe(es['reason.defective']);
  });

  it('shows a code we do not know as the shop wrote it, saying it is not translated', () => {
    const own = { code: 'too_many_colours', label: 'Too many colours', evidenceRequired: false };
    expect(reasonLabel(tr(es) as never, own, 'es')).toEqual({ text: 'Too many colours', translated: false });
  });
});
