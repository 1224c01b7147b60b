import { Button, CloseButton, FileButton, Group, Loader, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { uploadEvidence } from '../api/portal-api.ts';
import { type Draft, MAX_PHOTOS, PHOTO_TYPES, type Photo, photoProblem } from './draft.ts';

let seq = 0;

/**
 * Photos for one item: checked for type and size here, uploaded one by one as raw bodies,
 * shown as thumbnails from object URLs, removable. The draft keeps them across steps.
 */
export function PhotoPicker({
  lineId,
  title,
  photos,
  update,
  labelId,
}: {
  lineId: string;
  title: string;
  photos: Photo[];
  update: (change: (d: Draft) => Draft) => void;
  labelId: string;
}) {
  const { t } = useI18n();
  const [refused, setRefused] = useState<string[]>([]);

  const patch = (key: string, change: Partial<Photo>) =>
    update((d) => ({
      ...d,
      photos: {
        ...d.photos,
        [lineId]: (d.photos[lineId] ?? []).map((p) => (p.key === key ? { ...p, ...change } : p)),
      },
    }));

  const add = (files: File[]) => {
    const messages: string[] = [];
    const room = MAX_PHOTOS - photos.length;
    const accepted: { file: File; photo: Photo }[] = [];
    for (const file of files) {
      const problem = photoProblem(file);
      if (problem === 'type') messages.push(t('portal.reasons.photoType', { name: file.name }));
      else if (problem === 'size') messages.push(t('portal.reasons.photoSize', { name: file.name }));
      else if (accepted.length >= room) {
        messages.push(t('portal.reasons.photoLimit', { max: MAX_PHOTOS }));
        break;
      } else {
        seq += 1;
        accepted.push({
          file,
          photo: { key: `p${seq}`, name: file.name, url: URL.createObjectURL(file), status: 'uploading' },
        });
      }
    }
    setRefused(messages);
    if (accepted.length === 0) return;
    update((d) => ({
      ...d,
      photos: { ...d.photos, [lineId]: [...(d.photos[lineId] ?? []), ...accepted.map((a) => a.photo)] },
    }));
    for (const { file, photo } of accepted) {
      uploadEvidence(file).then(
        (saved) => patch(photo.key, { status: 'done', evidenceId: saved.id }),
        () =>
          patch(photo.key, { status: 'failed', error: t('portal.reasons.photoFailed', { name: file.name }) }),
      );
    }
  };

  const remove = (photo: Photo) => {
    URL.revokeObjectURL(photo.url);
    setRefused([]);
    update((d) => ({
      ...d,
      photos: { ...d.photos, [lineId]: (d.photos[lineId] ?? []).filter((p) => p.key !== photo.key) },
    }));
  };

  return (
    <Stack gap="xs" data-testid="photo-picker">
      {photos.length > 0 && (
        <Group gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {photos.map((p, i) => (
            <li key={p.key} className="photo-thumb" data-status={p.status} data-testid="photo">
              <img
                src={p.url}
                alt={t('portal.reasons.photoAlt', { n: i + 1, title })}
                width={88}
                height={88}
              />
              {p.status === 'uploading' && (
                <span className="photo-thumb-status" role="status">
                  <Loader size="xs" aria-hidden="true" />
                  <span className="visually-hidden">{t('portal.reasons.uploading')}</span>
                </span>
              )}
              <CloseButton
                className="photo-thumb-remove"
                size="sm"
                aria-label={t('portal.reasons.removePhoto', { n: i + 1, title })}
                onClick={() => remove(p)}
              />
            </li>
          ))}
        </Group>
      )}
      {photos
        .filter((p) => p.status === 'failed')
        .map((p) => (
          <Text key={p.key} size="sm" c="red.9" role="alert">
            {p.error}
          </Text>
        ))}
      {refused.map((m) => (
        <Text key={m} size="sm" c="red.9" role="alert">
          {m}
        </Text>
      ))}
      <div>
        <FileButton onChange={add} accept={PHOTO_TYPES.join(',')} multiple>
          {(props) => (
            <Button
              {...props}
              variant="default"
              size="sm"
              disabled={photos.length >= MAX_PHOTOS}
              aria-describedby={labelId}
            >
              {t('portal.reasons.addPhotos')}
            </Button>
          )}
        </FileButton>
      </div>
    </Stack>
  );
}
