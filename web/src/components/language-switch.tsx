import { NativeSelect } from '@mantine/core';
import { isLocale, LANGUAGE_NAMES, LOCALES, useI18n } from '../lib/i18n/i18n-provider.tsx';

/** A native select: keyboard, screen readers and phones all know how to use it. */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <NativeSelect
      aria-label={t('app.language')}
      value={locale}
      onChange={(e) => {
        if (isLocale(e.currentTarget.value)) setLocale(e.currentTarget.value);
      }}
      data={LOCALES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
      size="sm"
      w={130}
      data-testid="language-switch"
    />
  );
}
