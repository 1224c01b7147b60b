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
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import {
  LOCALE_LABELS,
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
  eventLabel,
  fieldErrorsOf,
  isRewritten,
  overrideOf,
  startingDraft,
  useDebounced,
} from './template-helpers.ts';

const FIELD_LABEL: Record<TemplateField, string> = {
  subject: 'Email subject',
  text: 'Email text',
  html: 'Email HTML',
  sms: 'SMS text',
};
const EMPTY: TemplateDraft = { subject: '', text: '', html: '', sms: '' };
const BUILT_IN = 'Built-in text';
const REWRITTEN = 'Rewritten by your shop';

/** What a row's override says about one channel: rewritten, or the built-in text. */
function channelState(row: TemplateRow, fields: TemplateField[]) {
  return fields.some((f) => isRewritten(row.override, f)) ? 'Rewritten' : 'Built-in';
}

/**
 * Where a field's text comes from, as a badge inside its description so screen readers hear it
 * too: the built-in text, the shop's saved rewrite, or a change not saved yet.
 */
function FieldSource({ source, hint }: { source: 'built-in' | 'shop' | 'unsaved'; hint: string }) {
  const badge = {
    'built-in': { label: BUILT_IN, variant: 'light' },
    shop: { label: REWRITTEN, variant: 'filled' },
    unsaved: { label: 'Changed, not saved', variant: 'outline' },
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
  useDocumentTitle('Notification templates · Administration', 'Returnflow');
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
      <h1 className="admin-h1">Notification templates</h1>
      <Text size="sm" c="dimmed" maw={720}>
        What customers receive by email and SMS at each step, in each language. The editor starts from the
        built-in text: change what you like and save. An emptied field goes back to the built-in text. The
        preview fills in sample values.
      </Text>
      {templates.isPending ? (
        <Loader aria-label="Loading the templates" />
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
              label="Notification"
              data={[
                { value: '', label: 'All notifications' },
                ...events.map((e) => ({ value: e, label: eventLabel(e) })),
              ]}
              value={filter}
              onChange={(e) => setFilter(e.currentTarget.value)}
            />
            <Switch
              label="Only rewritten ones"
              checked={onlyCustom}
              onChange={(e) => setOnlyCustom(e.currentTarget.checked)}
              mb={6}
            />
          </Group>
          {shownEvents.length === 0 ? (
            <Paper withBorder p="md" radius="md" data-testid="no-templates">
              <Text>
                {onlyCustom
                  ? 'No template is rewritten yet: every notification uses the built-in text. Pick one to edit.'
                  : 'No notification matches.'}
              </Text>
            </Paper>
          ) : (
            <div className="admin-table-scroll">
              <Table striped withTableBorder data-testid="templates">
                <caption className="visually-hidden">
                  Each notification per language: whether its email and SMS use the built-in text
                </caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Notification</Table.Th>
                    {TEMPLATE_LOCALES.map((l) => (
                      <Table.Th scope="col" key={l}>
                        {LOCALE_LABELS[l]}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {shownEvents.map((ev) => (
                    <Table.Tr key={ev} data-testid="template-event" data-event={ev}>
                      <Table.Th scope="row" fw={500}>
                        {eventLabel(ev)}
                      </Table.Th>
                      {TEMPLATE_LOCALES.map((l) => {
                        const r = rows.find((x) => x.event === ev && x.locale === l);
                        if (!r) return <Table.Td key={l} />;
                        const email = channelState(r, ['subject', 'text', 'html']);
                        const sms = channelState(r, ['sms']);
                        return (
                          <Table.Td
                            key={l}
                            data-testid="template-row"
                            data-event={ev}
                            data-locale={l}
                            data-overridden={String(r.overridden)}
                          >
                            <Group gap={6} wrap="wrap">
                              <Badge
                                variant={email === 'Rewritten' ? 'filled' : 'light'}
                                color="brand"
                                size="sm"
                              >
                                Email: {email}
                              </Badge>
                              <Badge
                                variant={sms === 'Rewritten' ? 'filled' : 'light'}
                                color="brand"
                                size="sm"
                              >
                                SMS: {sms}
                              </Badge>
                              <Button
                                size="compact-xs"
                                variant="default"
                                aria-label={`Edit ${eventLabel(ev)} (${LOCALE_LABELS[l]})`}
                                aria-pressed={event === ev && locale === l}
                                onClick={() => open(r)}
                              >
                                Edit
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
      settle('unchanged', 'Nothing to save: this is the built-in text.');
      return;
    }
    const done = () =>
      settle(
        'saved',
        nothingOwn
          ? `${LOCALE_LABELS[locale]}: back to the built-in text.`
          : `${LOCALE_LABELS[locale]}: saved. Customers get this text from now on.`,
      );
    const onError = (e: Error) => setErrors((all) => ({ ...all, [locale]: fieldErrorsOf(e) }));
    if (nothingOwn) reset.mutate({ event, locale }, { onSuccess: done, onError });
    else save.mutate({ event, locale, template }, { onSuccess: done, onError });
  };

  const onReset = () =>
    reset.mutate(
      { event, locale },
      {
        onSuccess: () => settle('saved', `${LOCALE_LABELS[locale]}: back to the built-in text.`),
        onSettled: () => setConfirmReset(false),
      },
    );

  const general =
    fieldErrors._ ?? (reset.error && !confirmReset ? (reset.error as Error).message : undefined);
  const title = eventLabel(event);

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="template-editor-title">
      <Stack gap="sm" data-testid="template-editor" data-event={event} data-locale={locale}>
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h4" id="template-editor-title" ref={headingRef} tabIndex={-1}>
            {title}
          </Title>
          <Button variant="default" size="xs" onClick={onClose}>
            Close editor
          </Button>
        </Group>
        <Tabs value={locale} onChange={(v) => v && onLocale(v as TemplateLocale)} keepMounted={false}>
          <Tabs.List aria-label="Language">
            {TEMPLATE_LOCALES.map((l) => {
              const r = rows.find((x) => x.event === event && x.locale === l);
              return (
                <Tabs.Tab key={l} value={l} data-testid={`locale-tab-${l}`}>
                  {LOCALE_LABELS[l]}
                  {r?.overridden ? ' · rewritten' : ''}
                  {drafts[l] ? ' · unsaved' : ''}
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
                <Text size="sm">Saved version:</Text>
                <Badge
                  variant={row?.overridden ? 'filled' : 'light'}
                  color="brand"
                  data-testid="template-source"
                  data-source={row?.overridden ? 'shop' : 'built-in'}
                >
                  {row?.overridden ? REWRITTEN : BUILT_IN}
                </Badge>
              </Group>
              <TextInput
                label={FIELD_LABEL.subject}
                description={<FieldSource source={sourceOf('subject')} hint="One line." />}
                value={draft.subject}
                error={fieldErrors.subject}
                maxLength={300}
                onChange={(e) => change('subject', e.currentTarget.value)}
              />
              <Textarea
                label={FIELD_LABEL.text}
                description={
                  <FieldSource
                    source={sourceOf('text')}
                    hint="The plain-text email. Blank lines separate paragraphs."
                  />
                }
                value={draft.text}
                error={fieldErrors.text}
                autosize
                minRows={4}
                maxRows={14}
                onChange={(e) => change('text', e.currentTarget.value)}
              />
              <Textarea
                label={FIELD_LABEL.html}
                description={
                  <FieldSource
                    source={sourceOf('html')}
                    hint="A body fragment (<p>, <a>, <strong>…); the layout adds header and footer."
                  />
                }
                value={draft.html}
                error={fieldErrors.html}
                autosize
                minRows={3}
                maxRows={12}
                classNames={{ input: 'admin-mono' }}
                onChange={(e) => change('html', e.currentTarget.value)}
              />
              <Textarea
                label={FIELD_LABEL.sms}
                description={
                  <FieldSource
                    source={sourceOf('sms')}
                    hint="At most three SMS segments before the values are filled in."
                  />
                }
                value={draft.sms}
                error={fieldErrors.sms}
                autosize
                minRows={2}
                maxRows={6}
                onChange={(e) => change('sms', e.currentTarget.value)}
              />
              <Text size="xs" c="dimmed">
                Placeholders:{' '}
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
                  Save {LOCALE_LABELS[locale]}
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
                  Discard changes
                </Button>
                <Button
                  variant="default"
                  color="red"
                  disabled={!row?.overridden}
                  onClick={() => setConfirmReset(true)}
                >
                  Reset to built-in text
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
        title={`Reset ${title} (${LOCALE_LABELS[locale]})?`}
      >
        <Stack gap="md">
          <Text size="sm">
            The shop's version is deleted: the fields show the built-in text again, and customers get it from
            now on. This cannot be undone.
          </Text>
          {reset.error && (
            <Alert color="red" variant="light" role="alert">
              {(reset.error as Error).message}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setConfirmReset(false)}>
              Cancel
            </Button>
            <Button color="red" loading={reset.isPending} onClick={onReset}>
              Reset to built-in text
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
          Preview ({LOCALE_LABELS[locale]}, sample values)
        </Title>
        <Text size="xs" c="dimmed" role="status" data-testid="preview-state">
          {preview.isFetching ? 'Updating…' : data ? 'Up to date' : ''}
        </Text>
      </Group>
      {preview.isError && (
        <Alert color="red" variant="light" role="alert">
          {isApiError(preview.error) ? preview.error.message : 'The preview could not be made.'}
        </Alert>
      )}
      {!data ? (
        preview.isPending && <Loader size="sm" aria-label="Loading the preview" />
      ) : (
        <>
          <div>
            <Text size="xs" c="dimmed">
              Subject
            </Text>
            <Text fw={600} data-testid="preview-subject" lang={locale}>
              {data.subject}
            </Text>
          </div>
          <Tabs defaultValue="html">
            <Tabs.List aria-label="Preview format">
              <Tabs.Tab value="html">Email (HTML)</Tabs.Tab>
              <Tabs.Tab value="text">Email (text)</Tabs.Tab>
              <Tabs.Tab value="sms">SMS</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="html" pt="xs">
              {/* An empty sandbox: the HTML can run nothing and reach nothing of this page. */}
              <iframe
                title="Email preview (HTML)"
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
                {data.smsSegments.segments} segment{data.smsSegments.segments === 1 ? '' : 's'} (
                {data.smsSegments.encoding})
              </Text>
            </Tabs.Panel>
          </Tabs>
        </>
      )}
    </Stack>
  );
}
