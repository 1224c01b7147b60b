import { Button, Group, TextInput } from '@mantine/core';
import { type FormEvent, useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { parseTrackingInput } from './parse-tracking-input.ts';

/** "Paste your tracking link": opens the tracking page, or says plainly what is wrong. */
export function TrackForm({ autoFocus = false }: { autoFocus?: boolean }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [value, setValue] = useState('');
  const [invalid, setInvalid] = useState(false);
  const id = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const token = parseTrackingInput(value);
    if (!token) {
      setInvalid(true);
      return;
    }
    navigate(`/t/${token}`);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Group align="flex-start" gap="sm" wrap="wrap">
        <TextInput
          id={id}
          label={t('landing.track.label')}
          value={value}
          onChange={(e) => {
            setValue(e.currentTarget.value);
            setInvalid(false);
          }}
          error={invalid ? t('landing.track.invalid') : undefined}
          autoComplete="off"
          spellCheck={false}
          autoFocus={autoFocus}
          style={{ flex: '1 1 16rem' }}
          name="tracking"
        />
        <Button type="submit" mt={{ base: 0, xs: 25 }}>
          {t('landing.track.submit')}
        </Button>
      </Group>
    </form>
  );
}
