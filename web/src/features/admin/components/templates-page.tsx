import {
  Alert,
  Badge,
  Button,
  Code,
  Grid,
  Group,
  Loader,
  Modal,
  NativeSelect,
  Paper,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type RefObject, useEffect, useMemo, useRef, useState } from 'react';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { isApiError } from '../../../lib/api.ts';
import type { MessageKey } from '../../../lib/i18n/en.ts';
import { type Translate, useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import {
  TEMPLATE_FIELDS,
  TEMPLATE_LOCALES,
  TEMPLATE_VARIABLES,
  type TemplateDraft,
  type TemplateField,
  type TemplateLocale,
  type TemplateRow,
  templateCalls,
  useTemplateMutation,
  useTemplatePreview,
  useTemplates,
} from '../api/admin-api.ts';
import {
  eventName,
  fieldErrorsOf,
  isRewritten,
  overrideOf,
  startingDraft,
  useDebounced,
} from './template-helpers.ts';

const FIELD_LABEL = {
  subject: 'admin.templates.field.subject',
  text: 'admin.templates.field.text',
  html: 'admin.templates.field.html',
  sms: 'admin.templates.field.sms',
} as const satisfies Record<TemplateField, MessageKey>;
const EMPTY: TemplateDraft = { subject: '', text: '', html: '', sms: '' };

/** A template language (the customer's, not the page's) named in the reader's language. */
const localeName = (t: Translate, l: TemplateLocale) => t(`admin.templates.locale.${l}`);

/** What a row's override says about one channel: rewritten, or the built-in text. */
function channelRewritten(row: TemplateRow, fields: TemplateField[]): boolean {
  return fields.some((f) => isRewritten(row.override, f));
}

/**
 * Where a field's text comes from, as a badge inside its description so screen readers hear it
 * too: the built-in text, the shop's saved rewrite, or a change not saved yet.
 */
function FieldSource({ source, hint }: { source: 'built-in' | 'shop' | 'unsaved'; hint: string }) {
  const { t } = useI18n();
  const badge = {
    'built-in': { label: t('admin.templates.builtIn'), variant: 'light' },
    shop: { label: t('admin.templates.rewrittenByShop'), variant: 'filled' },
    unsaved: { label: t('admin.templates.unsaved'), variant: 'outline' },
  }[source];
  return (
    <>
      <Badge component="span" size="xs" variant={badge.variant} color="brand" data-source={source}>
        {badge.label}
      </Badge>{' '}
      {hint}
    </>
  );
}

/**
 * `/admin/templates`: every notification × language × channel, with which ones the shop has
 * rewritten; an editor with a live preview (sample values) per language.
 */
export function TemplatesPage() {
  const { t } = useI18n();
  useDocumentTitle(t('admin.templates.docTitle'), 'Returnflow');
  const templates = useTemplates();
  const [event, setEvent] = useState<string | null>(null);
  const [locale, setLocale] = useState<TemplateLocale>('en');
  const [filter, setFilter] = useState('');
  const [onlyCustom, setOnlyCustom] = useState(false);
  const editorRef = useRef<HTMLHeadingElement>(null);
  // The Edit button that opened the editor gets the focus back when it closes.
  const opener = useRef<HTMLElement | null>(null);

  const rows = templates.data?.data ?? [];
  const events = useMemo(() => [...new Set(rows.map((r) => r.event))], [rows]);
  const shownEvents = events.filter(
    (e) => (!filter || e === filter) && (!onlyCustom || rows.some((r) => r.event === e && r.overridden)),
  );

  const open = (row: TemplateRow) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setEvent(row.event);
    setLocale(row.locale);
  };
  // Keyboard and screen-reader users land in the editor they opened.
  useEffect(() => {
    if (event) editorRef.current?.focus();
  }, [event]);

  return (
    <Stack gap="md" data-testid="templates-page">
      <h1 className="admin-h1">{t('admin.nav.templates')}</h1>
      <Text size="sm" c="dimmed" maw={720}>
        {t('admin.templates.lead')}
      </Text>
      {templates.isPending ? (
        <Loader aria-label={t('admin.templates.loading')} />
      ) : templates.isError ? (
        <ErrorPanel error={templates.error} onRetry={() => void templates.refetch()} />
      ) : (
        <>
          {event && (
            <TemplateEditor
              key={event}
              event={event}
              locale={locale}
              onLocale={setLocale}
              rows={rows}
              headingRef={editorRef}
              onClose={() => {
                setEvent(null);
                requestAnimationFrame(() => opener.current?.focus());
              }}
            />
          )}
          <Group gap="md" align="flex-end" wrap="wrap">
            <NativeSelect
              label={t('admin.templates.notification')}
              data={[
                { value: '', label: t('admin.templates.allNotifications') },
                ...events.map((e) => ({ value: e, label: eventName(t, e) })),
              ]}
              value={filter}
              onChange={(e) => setFilter(e.currentTarget.value)}
            />
            <Switch
              label={t('admin.templates.onlyRewritten')}
              checked={onlyCustom}
              onChange={(e) => setOnlyCustom(e.currentTarget.checked)}
              mb={6}
            />
          </Group>
          {shownEvents.length === 0 ? (
            <Paper withBorder p="md" radius="md" data-testid="no-templates">
              <Text>{onlyCustom ? t('admin.templates.noneRewritten') : t('admin.templates.noMatch')}</Text>
            </Paper>
          ) : (
            <div className="admin-table-scroll">
              <Table striped withTableBorder data-testid="templates">
                <caption className="visually-hidden">{t('admin.templates.caption')}</caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('admin.templates.notification')}</Table.Th>
                    {TEMPLATE_LOCALES.map((l) => (
                      <Table.Th scope="col" key={l}>
                        {localeName(t, l)}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {shownEvents.map((ev) => (
                    <Table.Tr key={ev} data-testid="template-event" data-event={ev}>
                      <Table.Th scope="row" fw={500}>
                        {eventName(t, ev)}
                      </Table.Th>
                      {TEMPLATE_LOCALES.map((l) => {
                        const r = rows.find((x) => x.event === ev && x.locale === l);
                        if (!r) return <Table.Td key={l} />;
                        const email = channelRewritten(r, ['subject', 'text', 'html']);
                        const sms = channelRewritten(r, ['sms']);
                        return (
                          <Table.Td
                            key={l}
                            data-testid="template-row"
                            data-event={ev}
                            data-locale={l}
                            data-overridden={String(r.overridden)}
                          >
                            <Group gap={6} wrap="wrap">
                              <Badge variant={email ? 'filled' : 'light'} color="brand" size="sm">
                                {t(email ? 'admin.templates.emailRewritten' : 'admin.templates.emailBuiltIn')}
                              </Badge>
                              <Badge variant={sms ? 'filled' : 'light'} color="brand" size="sm">
                                {t(sms ? 'admin.templates.smsRewritten' : 'admin.templates.smsBuiltIn')}
                              </Badge>
                              <Button
                                size="compact-xs"
                                variant="default"
                                aria-label={t('admin.templates.editNamed', {
                                  event: eventName(t, ev),
                                  language: localeName(t, l),
                                })}
                                aria-pressed={event === ev && locale === l}
                                onClick={() => open(r)}
                              >
                                {t('admin.templates.edit')}
                              </Button>
                            </Group>
                          </Table.Td>
                        );
                      })}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
          )}
        </>
      )}
    </Stack>
  );
}

function TemplateEditor({
  event,
  locale,
  onLocale,
  rows,
  headingRef,
  onClose,
}: {
  event: string;
  locale: TemplateLocale;
  onLocale: (l: TemplateLocale) => void;
  rows: TemplateRow[];
  headingRef: RefObject<HTMLHeadingElement | null>;
  onClose: () => void;
}) {
  const { t } = useI18n();
  // One draft per language: switching the tab keeps what was typed in the other ones.
  const [drafts, setDrafts] = useState<Partial<Record<TemplateLocale, TemplateDraft>>>({});
  const [errors, setErrors] = useState<Partial<Record<TemplateLocale, Partial<Record<string, string>>>>>({});
  const [notice, setNotice] = useState<{ kind: 'saved' | 'unchanged'; text: string } | null>(null);
  const [confirmReset, setConfirmReset] = useState(false);
  const save = useTemplateMutation(templateCalls.save);
  const reset = useTemplateMutation(templateCalls.reset);

  const row = rows.find((r) => r.event === event && r.locale === locale);
  const builtIn = row?.builtIn ?? EMPTY;
  // What customers get today: the fields start from it, and the draft is compared with it.
  const stored = useMemo<TemplateDraft>(
    () => (row ? startingDraft(row.builtIn, row.override) : EMPTY),
    [row],
  );
  const draft = drafts[locale] ?? stored;
  const dirty = TEMPLATE_FIELDS.some((f) => draft[f] !== stored[f]);
  const fieldErrors = errors[locale] ?? {};
  const sourceOf = (f: TemplateField) =>
    draft[f] !== stored[f] ? 'unsaved' : isRewritten(row?.override, f) ? 'shop' : 'built-in';

  // The preview follows the typing after a short pause, not on every key. A language switch
  // shows at once: the fields are never empty now, so the last language's settled draft would
  // otherwise be rendered as this language for a moment.
  const settledJson = useDebounced(JSON.stringify({ locale, draft }), 350);
  const settled = useMemo(
    () => JSON.parse(settledJson) as { locale: TemplateLocale; draft: TemplateDraft },
    [settledJson],
  );
  const preview = useTemplatePreview(event, locale, settled.locale === locale ? settled.draft : draft);

  const change = (field: TemplateField, value: string) => {
    setNotice(null);
    setDrafts((d) => ({ ...d, [locale]: { ...draft, [field]: value } }));
    setErrors((e) => ({ ...e, [locale]: { ...e[locale], [field]: undefined } }));
  };

  /** Back to what is saved (the list was read again by then), with `text` as the outcome. */
  const settle = (kind: 'saved' | 'unchanged', text: string) => {
    setDrafts((d) => ({ ...d, [locale]: undefined }));
    setErrors((e) => ({ ...e, [locale]: {} }));
    setNotice({ kind, text });
  };

  const onSave = () => {
    setNotice(null);
    // Only what differs from the built-in text is the shop's: storing a copy of the built-in
    // text would freeze it, and the shop would miss later corrections of it.
    const template = overrideOf(draft, builtIn);
    const nothingOwn = TEMPLATE_FIELDS.every((f) => template[f] === undefined);
    if (nothingOwn && !row?.overridden) {
      settle('unchanged', t('admin.templates.nothingToSave'));
      return;
    }
    const done = () =>
      settle(
        'saved',
        nothingOwn
          ? t('admin.templates.backToBuiltIn', { language: localeName(t, locale) })
          : t('admin.templates.saved', { language: localeName(t, locale) }),
      );
    const onError = (e: Error) => setErrors((all) => ({ ...all, [locale]: fieldErrorsOf(e) }));
    if (nothingOwn) reset.mutate({ event, locale }, { onSuccess: done, onError });
    else save.mutate({ event, locale, template }, { onSuccess: done, onError });
  };

  const onReset = () =>
    reset.mutate(
      { event, locale },
      {
        onSuccess: () =>
          settle('saved', t('admin.templates.backToBuiltIn', { language: localeName(t, locale) })),
        onSettled: () => setConfirmReset(false),
      },
    );

  const general =
    fieldErrors._ ?? (reset.error && !confirmReset ? (reset.error as Error).message : undefined);
  const title = eventName(t, event);

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="template-editor-title">
      <Stack gap="sm" data-testid="template-editor" data-event={event} data-locale={locale}>
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h4" id="template-editor-title" ref={headingRef} tabIndex={-1}>
            {title}
          </Title>
          <Button variant="default" size="xs" onClick={onClose}>
            {t('admin.templates.closeEditor')}
          </Button>
        </Group>
        <Tabs value={locale} onChange={(v) => v && onLocale(v as TemplateLocale)} keepMounted={false}>
          <Tabs.List aria-label={t('admin.templates.language')}>
            {TEMPLATE_LOCALES.map((l) => {
              const r = rows.find((x) => x.event === event && x.locale === l);
              return (
                <Tabs.Tab key={l} value={l} data-testid={`locale-tab-${l}`}>
                  {localeName(t, l)}
                  {r?.overridden ? t('admin.templates.tabRewritten') : ''}
                  {drafts[l] ? t('admin.templates.tabUnsaved') : ''}
                </Tabs.Tab>
              );
            })}
          </Tabs.List>
        </Tabs>
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Stack gap="sm">
              {general && (
                <Alert color="red" variant="light" role="alert" data-testid="template-error">
                  {general}
                </Alert>
              )}
              {notice && (
                <Alert
                  color={notice.kind === 'saved' ? 'green' : 'blue'}
                  variant="light"
                  role="status"
                  data-testid={notice.kind === 'saved' ? 'template-saved' : 'template-unchanged'}
                >
                  {notice.text}
                </Alert>
              )}
              <Group gap="xs">
                <Text size="sm">{t('admin.templates.savedVersion')}</Text>
                <Badge
                  variant={row?.overridden ? 'filled' : 'light'}
                  color="brand"
                  data-testid="template-source"
                  data-source={row?.overridden ? 'shop' : 'built-in'}
                >
                  {row?.overridden ? t('admin.templates.rewrittenByShop') : t('admin.templates.builtIn')}
                </Badge>
              </Group>
              <TextInput
                label={t(FIELD_LABEL.subject)}
                description={
                  <FieldSource source={sourceOf('subject')} hint={t('admin.templates.hint.subject')} />
                }
                value={draft.subject}
                error={fieldErrors.subject}
                maxLength={300}
                onChange={(e) => change('subject', e.currentTarget.value)}
              />
              <Textarea
                label={t(FIELD_LABEL.text)}
                description={<FieldSource source={sourceOf('text')} hint={t('admin.templates.hint.text')} />}
                value={draft.text}
                error={fieldErrors.text}
                autosize
                minRows={4}
                maxRows={14}
                onChange={(e) => change('text', e.currentTarget.value)}
              />
              <Textarea
                label={t(FIELD_LABEL.html)}
                description={<FieldSource source={sourceOf('html')} hint={t('admin.templates.hint.html')} />}
                value={draft.html}
                error={fieldErrors.html}
                autosize
                minRows={3}
                maxRows={12}
                classNames={{ input: 'admin-mono' }}
                onChange={(e) => change('html', e.currentTarget.value)}
              />
              <Textarea
                label={t(FIELD_LABEL.sms)}
                description={<FieldSource source={sourceOf('sms')} hint={t('admin.templates.hint.sms')} />}
                value={draft.sms}
                error={fieldErrors.sms}
                autosize
                minRows={2}
                maxRows={6}
                onChange={(e) => change('sms', e.currentTarget.value)}
              />
              <Text size="xs" c="dimmed">
                {t('admin.templates.placeholders')}{' '}
                {TEMPLATE_VARIABLES.map((v, i) => (
                  <span key={v}>
                    {i > 0 && ' '}
                    <Code>{`{{${v}}}`}</Code>
                  </span>
                ))}
              </Text>
              <Group gap="sm">
                <Button
                  onClick={onSave}
                  loading={save.isPending}
                  disabled={!dirty}
                  data-testid="template-save"
                >
                  {t('admin.templates.save', { language: localeName(t, locale) })}
                </Button>
                <Button
                  variant="default"
                  disabled={!dirty}
                  onClick={() => {
                    setDrafts((d) => ({ ...d, [locale]: undefined }));
                    setErrors((e) => ({ ...e, [locale]: {} }));
                    setNotice(null);
                  }}
                >
                  {t('admin.templates.discard')}
                </Button>
                <Button
                  variant="default"
                  color="red"
                  disabled={!row?.overridden}
                  onClick={() => setConfirmReset(true)}
                >
                  {t('admin.templates.reset')}
                </Button>
              </Group>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <TemplatePreviewPanel preview={preview} locale={locale} />
          </Grid.Col>
        </Grid>
      </Stack>
      <Modal
        opened={confirmReset}
        onClose={() => setConfirmReset(false)}
        title={t('admin.templates.resetTitle', { event: title, language: localeName(t, locale) })}
      >
        <Stack gap="md">
          <Text size="sm">{t('admin.templates.resetBody')}</Text>
          {reset.error && (
            <Alert color="red" variant="light" role="alert">
              {(reset.error as Error).message}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setConfirmReset(false)}>
              {t('admin.cancel')}
            </Button>
            <Button color="red" loading={reset.isPending} onClick={onReset}>
              {t('admin.templates.reset')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}

function TemplatePreviewPanel({
  preview,
  locale,
}: {
  preview: ReturnType<typeof useTemplatePreview>;
  locale: TemplateLocale;
}) {
  const { t } = useI18n();
  const data = preview.data;
  return (
    <Stack
      gap="sm"
      data-testid="template-preview"
      aria-labelledby="template-preview-title"
      component="section"
    >
      <Group justify="space-between" gap="xs">
        <Title order={3} size="h5" id="template-preview-title">
          {t('admin.templates.previewTitle', { language: localeName(t, locale) })}
        </Title>
        <Text size="xs" c="dimmed" role="status" data-testid="preview-state">
          {preview.isFetching ? t('admin.templates.updating') : data ? t('admin.templates.upToDate') : ''}
        </Text>
      </Group>
      {preview.isError && (
        <Alert color="red" variant="light" role="alert">
          {isApiError(preview.error) ? preview.error.message : t('admin.templates.previewFailed')}
        </Alert>
      )}
      {!data ? (
        preview.isPending && <Loader size="sm" aria-label={t('admin.templates.previewLoading')} />
      ) : (
        <>
          <div>
            <Text size="xs" c="dimmed">
              {t('admin.templates.subject')}
            </Text>
            <Text fw={600} data-testid="preview-subject" lang={locale}>
              {data.subject}
            </Text>
          </div>
          <Tabs defaultValue="html">
            <Tabs.List aria-label={t('admin.templates.previewFormat')}>
              <Tabs.Tab value="html">{t('admin.templates.tab.html')}</Tabs.Tab>
              <Tabs.Tab value="text">{t('admin.templates.tab.text')}</Tabs.Tab>
              <Tabs.Tab value="sms">{t('admin.templates.tab.sms')}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="html" pt="xs">
              {/* An empty sandbox: the HTML can run nothing and reach nothing of this page. */}
              <iframe
                title={t('admin.templates.frameTitle')}
                sandbox=""
                srcDoc={data.html}
                className="template-frame"
                data-testid="preview-html"
              />
            </Tabs.Panel>
            <Tabs.Panel value="text" pt="xs">
              <pre className="template-text" data-testid="preview-text" lang={locale}>
                {data.text}
              </pre>
            </Tabs.Panel>
            <Tabs.Panel value="sms" pt="xs">
              <pre className="template-text" data-testid="preview-sms" lang={locale}>
                {data.sms}
              </pre>
              <Text size="xs" c="dimmed">
                {t(
                  data.smsSegments.segments === 1
                    ? 'admin.templates.segments.one'
                    : 'admin.templates.segments.other',
                  {
                    n: data.smsSegments.segments,
                    encoding: data.smsSegments.encoding,
                  },
                )}
              </Text>
            </Tabs.Panel>
          </Tabs>
        </>
      )}
    </Stack>
  );
}
