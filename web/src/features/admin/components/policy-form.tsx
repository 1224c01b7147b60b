import { RESOLUTIONS, RULE_ACTIONS, RULE_FIELDS, RULE_OPERATORS } from '@contract/policy.ts';
import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Code,
  Fieldset,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type ReactNode, useEffect, useState } from 'react';
import { tOr, useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { currencyExponent, minorToDecimalString, parseMinor } from '../../../lib/money.ts';
import { moveItem, type Path, type PolicyDoc, pointerOf, renameKey, setIn } from './policy-helpers.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asObj = (v: unknown): Obj => (isObj(v) ? v : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | '' => (typeof v === 'number' ? v : '');
/** A NumberInput's value as the policy stores it: empty means "not set". */
const numOrUndefined = (v: number | string): number | undefined => (typeof v === 'number' ? v : undefined);

type FieldKind = 'money' | 'number' | 'string' | 'boolean';
const kindOf = (field: string): FieldKind =>
  (RULE_FIELDS as Record<string, { kind: FieldKind }>)[field]?.kind ?? 'string';

type Edit = {
  /** Replaces the value at `path` (undefined removes an optional field). */
  set: (path: Path, value: unknown) => void;
  /** The problems the server found at exactly this path, as sentences; undefined when none. */
  errorAt: (path: Path) => string | undefined;
};

/**
 * The whole policy as a form. It edits the JSON document in place, path by path, so a field the
 * form has no input for (purchasing-agent stage rules, a nested condition) is kept as it is.
 */
export function PolicyForm({
  policy,
  onChange,
  errorAt,
}: {
  policy: PolicyDoc;
  onChange: (next: PolicyDoc) => void;
  errorAt: (pointer: string) => string | undefined;
}) {
  const { t } = useI18n();
  const edit: Edit = {
    set: (path, value) => onChange(setIn(policy, path, value) as PolicyDoc),
    errorAt: (path) => errorAt(pointerOf(path)),
  };
  const reasonCodes = asList(policy.reasons)
    .map((r) => str(asObj(r).code))
    .filter(Boolean);
  return (
    <Stack gap="md" data-testid="policy-form">
      <GeneralSection policy={policy} edit={edit} />
      <Fieldset legend={t('admin.policy.form.fees')}>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <MoneyMap
            label={t('admin.policy.field.returnShippingFee')}
            description={t('admin.policy.form.returnShippingFeeHint')}
            path={['returnShippingFee']}
            value={policy.returnShippingFee}
            edit={edit}
          />
          <MoneyMap
            label={t('admin.policy.field.returnlessMaxAmount')}
            description={t('admin.policy.form.returnlessHint')}
            path={['returnlessMaxAmount']}
            value={policy.returnlessMaxAmount}
            edit={edit}
          />
        </SimpleGrid>
      </Fieldset>
      <AutoApproveSection policy={policy} edit={edit} reasonCodes={reasonCodes} />
      <ReasonsSection policy={policy} edit={edit} />
      <CategoriesSection policy={policy} edit={edit} />
      <RulesSection policy={policy} edit={edit} reasonCodes={reasonCodes} />
      <ResolutionsSection policy={policy} edit={edit} />
      <AddressSection policy={policy} edit={edit} />
      {policy.purchasingAgent !== undefined && (
        <Alert variant="light" color="gray" data-testid="json-only">
          {t('admin.policy.form.purchasingAgentInJson')}
        </Alert>
      )}
    </Stack>
  );
}

function GeneralSection({ policy, edit }: { policy: PolicyDoc; edit: Edit }) {
  const { t } = useI18n();
  return (
    <Fieldset legend={t('admin.policy.form.general')}>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <NumberInput
          label={t('admin.policy.returnWindow')}
          description={t('admin.policy.form.returnWindowHint')}
          min={0}
          max={3650}
          allowDecimal={false}
          value={num(policy.returnWindowDays)}
          onChange={(v) => edit.set(['returnWindowDays'], typeof v === 'number' ? v : 0)}
          error={edit.errorAt(['returnWindowDays'])}
        />
        <NumberInput
          label={t('admin.policy.field.shipWithinDays')}
          description={t('admin.policy.form.shipWithinHint')}
          min={1}
          max={365}
          allowDecimal={false}
          value={num(policy.shipWithinDays)}
          onChange={(v) => edit.set(['shipWithinDays'], numOrUndefined(v))}
          error={edit.errorAt(['shipWithinDays'])}
        />
        <NativeSelect
          label={t('admin.policy.field.refundShipping')}
          value={str(policy.refundShipping)}
          onChange={(e) => edit.set(['refundShipping'], e.currentTarget.value)}
          data={['never', 'merchant_fault', 'always'].map((v) => ({
            value: v,
            label: t(`admin.policy.refundShipping.${v}` as 'admin.policy.refundShipping.never'),
          }))}
          error={edit.errorAt(['refundShipping'])}
        />
        <NumberInput
          label={t('admin.policy.creditBonus')}
          description={t('admin.policy.form.creditBonusHint')}
          min={0}
          max={100}
          decimalScale={2}
          value={num(policy.storeCreditBonusPercent)}
          onChange={(v) => edit.set(['storeCreditBonusPercent'], numOrUndefined(v))}
          error={edit.errorAt(['storeCreditBonusPercent'])}
        />
      </SimpleGrid>
    </Fieldset>
  );
}

/** Amounts per currency, typed in major units ("5.95") and stored in minor units (595). */
function MoneyMap({
  label,
  description,
  path,
  value,
  edit,
}: {
  label: string;
  description?: string;
  path: Path;
  value: unknown;
  edit: Edit;
}) {
  const { t } = useI18n();
  const map = asObj(value);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const add = () => {
    const c = code.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(c)) return setCodeError(t('admin.policy.err.currencyPattern'));
    if (c in map) return setCodeError(t('admin.policy.form.currencyTaken', { currency: c }));
    setCodeError(null);
    setCode('');
    edit.set(path, { ...map, [c]: 0 });
  };
  return (
    <Stack gap={6} role="group" aria-label={label}>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      {description && (
        <Text size="xs" c="dimmed">
          {description}
        </Text>
      )}
      {edit.errorAt(path) && (
        <Text size="sm" c="red.8">
          {edit.errorAt(path)}
        </Text>
      )}
      {Object.keys(map).length === 0 && (
        <Text size="sm" c="dimmed">
          {t('admin.policy.form.noCurrencies')}
        </Text>
      )}
      {Object.entries(map).map(([currency, amount]) => (
        <Group key={currency} gap="xs" align="flex-start" wrap="nowrap">
          <MoneyInput
            label={t('admin.policy.form.amountIn', { what: label, currency })}
            currency={currency}
            amount={typeof amount === 'number' ? amount : 0}
            onChange={(minor) => edit.set([...path, currency], minor)}
            error={edit.errorAt([...path, currency])}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            mt={4}
            aria-label={t('admin.policy.form.removeCurrency', { what: label, currency })}
            onClick={() =>
              edit.set(path, Object.fromEntries(Object.entries(map).filter(([k]) => k !== currency)))
            }
          >
            ×
          </ActionIcon>
        </Group>
      ))}
      <Group gap="xs" align="flex-start" wrap="nowrap">
        <TextInput
          aria-label={t('admin.policy.form.newCurrency', { what: label })}
          placeholder="EUR"
          maxLength={3}
          w={90}
          value={code}
          onChange={(e) => setCode(e.currentTarget.value.toUpperCase())}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
          error={codeError}
        />
        <Button variant="default" size="sm" onClick={add}>
          {t('admin.policy.form.addCurrency')}
        </Button>
      </Group>
    </Stack>
  );
}

/** One amount: the text as typed, stored once it reads as an amount with the currency's decimals. */
function MoneyInput({
  label,
  currency,
  amount,
  onChange,
  error,
}: {
  label: string;
  currency: string;
  amount: number;
  onChange: (minor: number) => void;
  error?: string;
}) {
  const { t } = useI18n();
  const exponent = currencyExponent(currency);
  const shown = minorToDecimalString(amount, exponent);
  const [text, setText] = useState(shown);
  // Another view (the JSON tab, a discard) changed the amount: show the new one.
  useEffect(() => {
    setText((typed) => (parseMinor(typed, exponent) === amount ? typed : shown));
  }, [amount, exponent, shown]);
  const parsed = parseMinor(text, exponent);
  return (
    <TextInput
      label={label}
      leftSection={<Text size="xs">{currency}</Text>}
      leftSectionWidth={44}
      inputMode="decimal"
      value={text}
      onChange={(e) => {
        const next = e.currentTarget.value;
        setText(next);
        const minor = parseMinor(next, exponent);
        if (minor !== null) onChange(minor);
      }}
      error={parsed === null ? t('admin.policy.form.notAmount', { decimals: exponent }) : error}
      style={{ flex: 1 }}
    />
  );
}

function AutoApproveSection({
  policy,
  edit,
  reasonCodes,
}: {
  policy: PolicyDoc;
  edit: Edit;
  reasonCodes: string[];
}) {
  const { t } = useI18n();
  const auto = asObj(policy.autoApprove);
  const chosen = asList(auto.reasons).map(str);
  return (
    <Fieldset legend={t('admin.policy.field.autoApprove')}>
      <Stack gap="md">
        <Switch
          label={t('admin.policy.form.autoApproveEnabled')}
          checked={auto.enabled === true}
          onChange={(e) => edit.set(['autoApprove', 'enabled'], e.currentTarget.checked)}
          error={edit.errorAt(['autoApprove', 'enabled'])}
        />
        <MoneyMap
          label={t('admin.policy.field.maxRefundAmount')}
          description={t('admin.policy.form.maxRefundHint')}
          path={['autoApprove', 'maxRefundAmount']}
          value={auto.maxRefundAmount}
          edit={edit}
        />
        <Checkbox.Group
          label={t('admin.policy.form.autoApproveReasons')}
          description={t('admin.policy.form.autoApproveReasonsHint')}
          value={chosen}
          onChange={(v) => edit.set(['autoApprove', 'reasons'], v)}
          error={edit.errorAt(['autoApprove', 'reasons'])}
        >
          <Group gap="md" mt={6}>
            {[...new Set([...reasonCodes, ...chosen])].map((code, i) => (
              <Checkbox
                key={code}
                value={code}
                label={code}
                error={edit.errorAt(['autoApprove', 'reasons', i])}
              />
            ))}
          </Group>
        </Checkbox.Group>
      </Stack>
    </Fieldset>
  );
}

/** Buttons that move a row up or down, or remove it; named after the row for screen readers. */
function RowTools({
  name,
  index,
  count,
  onMove,
  onRemove,
}: {
  name: string;
  index: number;
  count: number;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const { t } = useI18n();
  return (
    <Group gap={4} wrap="nowrap">
      <Button
        variant="default"
        size="compact-sm"
        disabled={index === 0}
        onClick={() => onMove(index - 1)}
        aria-label={t('admin.policy.form.moveUp', { name })}
      >
        ↑
      </Button>
      <Button
        variant="default"
        size="compact-sm"
        disabled={index === count - 1}
        onClick={() => onMove(index + 1)}
        aria-label={t('admin.policy.form.moveDown', { name })}
      >
        ↓
      </Button>
      <Button variant="subtle" color="red" size="compact-sm" onClick={onRemove}>
        {t('admin.policy.form.removeNamed', { name })}
      </Button>
    </Group>
  );
}

function ReasonsSection({ policy, edit }: { policy: PolicyDoc; edit: Edit }) {
  const { t } = useI18n();
  const reasons = asList(policy.reasons);
  const setList = (list: unknown[]) => edit.set(['reasons'], list);
  return (
    <Fieldset legend={t('admin.policy.field.reasons')}>
      <Stack gap="sm">
        {edit.errorAt(['reasons']) && (
          <Text size="sm" c="red.8">
            {edit.errorAt(['reasons'])}
          </Text>
        )}
        {reasons.map((r, i) => {
          const reason = asObj(r);
          const at = (...rest: Path): Path => ['reasons', i, ...rest];
          const name = str(reason.code) || t('admin.policy.rowN', { n: i + 1 });
          return (
            <Paper
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; codes change as typed
              key={i}
              withBorder
              p="sm"
              radius="sm"
              data-testid="reason-row"
              data-code={str(reason.code)}
            >
              <Stack gap="xs">
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                  <TextInput
                    label={t('admin.policy.field.code')}
                    description={t('admin.policy.form.codeHint')}
                    value={str(reason.code)}
                    onChange={(e) => edit.set(at('code'), e.currentTarget.value)}
                    error={edit.errorAt(at('code'))}
                  />
                  <TextInput
                    label={t('admin.policy.form.labelEn')}
                    value={str(reason.label)}
                    onChange={(e) => edit.set(at('label'), e.currentTarget.value)}
                    error={edit.errorAt(at('label'))}
                  />
                  {(['es', 'zh-CN'] as const).map((lang) => (
                    <TextInput
                      key={lang}
                      label={t(lang === 'es' ? 'admin.policy.form.labelEs' : 'admin.policy.form.labelZh')}
                      description={t('admin.policy.form.labelLangHint')}
                      value={str(asObj(reason.labels)[lang])}
                      onChange={(e) => {
                        const v = e.currentTarget.value;
                        const labels = setIn(asObj(reason.labels), [lang], v === '' ? undefined : v) as Obj;
                        edit.set(at('labels'), Object.keys(labels).length ? labels : undefined);
                      }}
                      error={edit.errorAt(at('labels', lang))}
                    />
                  ))}
                </SimpleGrid>
                <Group justify="space-between" gap="sm">
                  <Group gap="lg">
                    <Checkbox
                      label={t('admin.policy.field.merchantFault')}
                      checked={reason.merchantFault === true}
                      onChange={(e) => edit.set(at('merchantFault'), e.currentTarget.checked)}
                      error={edit.errorAt(at('merchantFault'))}
                    />
                    <Checkbox
                      label={t('admin.policy.field.evidenceRequired')}
                      checked={reason.evidenceRequired === true}
                      onChange={(e) => edit.set(at('evidenceRequired'), e.currentTarget.checked)}
                      error={edit.errorAt(at('evidenceRequired'))}
                    />
                  </Group>
                  <RowTools
                    name={name}
                    index={i}
                    count={reasons.length}
                    onMove={(to) => setList(moveItem(reasons, i, to))}
                    onRemove={() => setList(reasons.filter((_, j) => j !== i))}
                  />
                </Group>
              </Stack>
            </Paper>
          );
        })}
        <Group>
          <Button
            variant="default"
            onClick={() =>
              setList([...reasons, { code: '', label: '', merchantFault: false, evidenceRequired: false }])
            }
          >
            {t('admin.policy.form.addReason')}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}

/** A category's name, stored when the field is left: a half-typed name must not merge two rows. */
function CategoryName({
  name,
  taken,
  onRename,
  error,
}: {
  name: string;
  taken: (n: string) => boolean;
  onRename: (n: string) => void;
  error?: string;
}) {
  const { t } = useI18n();
  const [text, setText] = useState(name);
  useEffect(() => setText(name), [name]);
  const clash = text.trim() !== name && (text.trim() === '' || taken(text.trim()));
  return (
    <TextInput
      label={t('admin.policy.form.categoryName')}
      value={text}
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={() => {
        if (!clash) onRename(text.trim());
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && !clash) onRename(text.trim());
      }}
      error={
        clash
          ? text.trim() === ''
            ? t('admin.policy.err.empty')
            : t('admin.policy.form.categoryTaken', { name: text.trim() })
          : error
      }
    />
  );
}

function CategoriesSection({ policy, edit }: { policy: PolicyDoc; edit: Edit }) {
  const { t } = useI18n();
  const categories = asObj(policy.categories);
  const [newName, setNewName] = useState('');
  const taken = (n: string) => Object.keys(categories).some((k) => k.toLowerCase() === n.toLowerCase());
  const addCategory = () => {
    const n = newName.trim();
    if (!n || taken(n)) return;
    edit.set(['categories'], { ...categories, [n]: {} });
    setNewName('');
  };
  return (
    <Fieldset legend={t('admin.policy.field.categories')}>
      <Stack gap="sm">
        <Text size="xs" c="dimmed">
          {t('admin.policy.form.categoriesHint')}
        </Text>
        {Object.entries(categories).map(([name, rule], i) => {
          const c = asObj(rule);
          const at = (...rest: Path): Path => ['categories', name, ...rest];
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: a renamed category keeps its row
            <Paper key={i} withBorder p="sm" radius="sm" data-testid="category-row" data-name={name}>
              <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
                <CategoryName
                  name={name}
                  taken={(n) => n.toLowerCase() !== name.toLowerCase() && taken(n)}
                  onRename={(n) => {
                    const renamed = renameKey(categories, name, n);
                    if (renamed) edit.set(['categories'], renamed);
                  }}
                  error={edit.errorAt(at())}
                />
                <Checkbox
                  mt={{ base: 0, sm: 28 }}
                  label={t('admin.policy.field.returnable')}
                  checked={c.returnable !== false}
                  // Returnable is the default: the field is written only to say "no".
                  onChange={(e) => edit.set(at('returnable'), e.currentTarget.checked ? undefined : false)}
                  error={edit.errorAt(at('returnable'))}
                />
                <NumberInput
                  label={t('admin.policy.form.categoryWindow')}
                  min={0}
                  max={3650}
                  allowDecimal={false}
                  value={num(c.returnWindowDays)}
                  onChange={(v) => edit.set(at('returnWindowDays'), numOrUndefined(v))}
                  error={edit.errorAt(at('returnWindowDays'))}
                />
                <NumberInput
                  label={t('admin.policy.field.restockingFeePercent')}
                  min={0}
                  max={100}
                  decimalScale={2}
                  value={num(c.restockingFeePercent)}
                  onChange={(v) => edit.set(at('restockingFeePercent'), numOrUndefined(v))}
                  error={edit.errorAt(at('restockingFeePercent'))}
                />
              </SimpleGrid>
              <Group justify="flex-end" mt="xs">
                <Button
                  variant="subtle"
                  color="red"
                  size="compact-sm"
                  onClick={() =>
                    edit.set(
                      ['categories'],
                      Object.fromEntries(Object.entries(categories).filter(([k]) => k !== name)),
                    )
                  }
                >
                  {t('admin.policy.form.removeNamed', { name })}
                </Button>
              </Group>
            </Paper>
          );
        })}
        <Group gap="xs" align="flex-end">
          <TextInput
            label={t('admin.policy.form.newCategory')}
            value={newName}
            onChange={(e) => setNewName(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                addCategory();
              }
            }}
            error={
              newName.trim() && taken(newName.trim())
                ? t('admin.policy.form.categoryTaken', { name: newName.trim() })
                : undefined
            }
          />
          <Button variant="default" onClick={addCategory} disabled={!newName.trim() || taken(newName.trim())}>
            {t('admin.policy.form.addCategory')}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}

type Comparison = { field: string; op: string; value: unknown };
const isComparison = (c: unknown): c is Comparison =>
  isObj(c) && typeof c.field === 'string' && typeof c.op === 'string' && 'value' in c;

/** A value that fits a field of this kind, for a comparison whose field or operator just changed. */
function defaultValue(kind: FieldKind, op: string): unknown {
  if (op === 'in' || op === 'not_in') return [];
  if (kind === 'money') return {};
  if (kind === 'number') return 0;
  if (kind === 'boolean') return false;
  return '';
}

/** "a, b" → ["a", "b"], numbers for number and money fields. */
function parseList(text: string, kind: FieldKind): unknown[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return kind === 'number' || kind === 'money'
    ? parts.map((p) => (Number.isFinite(Number(p)) ? Number(p) : p))
    : parts;
}

function ComparisonRow({
  c,
  path,
  n,
  edit,
  reasonCodes,
  onRemove,
}: {
  c: Comparison;
  path: Path;
  n: number;
  edit: Edit;
  reasonCodes: string[];
  onRemove: (() => void) | null;
}) {
  const { t } = useI18n();
  const kind = kindOf(c.field);
  const list = c.op === 'in' || c.op === 'not_in' || (c.op === 'starts_with' && Array.isArray(c.value));
  const valueLabel = t('admin.policy.form.conditionValue', { n });
  const setValue = (v: unknown) => edit.set([...path, 'value'], v);
  const valueError = edit.errorAt([...path, 'value']);
  let valueInput: ReactNode;
  if (list || c.op === 'starts_with') {
    valueInput = (
      <ListInput
        label={valueLabel}
        description={t('admin.policy.form.listHint')}
        value={c.value}
        onChange={(text) => {
          const items = parseList(text, kind);
          setValue(c.op === 'starts_with' && items.length <= 1 ? (items[0] ?? '') : items);
        }}
        error={valueError}
      />
    );
  } else if (kind === 'boolean') {
    valueInput = (
      <NativeSelect
        label={valueLabel}
        value={String(c.value === true)}
        onChange={(e) => setValue(e.currentTarget.value === 'true')}
        data={[
          { value: 'true', label: t('admin.policy.form.yes') },
          { value: 'false', label: t('admin.policy.form.no') },
        ]}
        error={valueError}
      />
    );
  } else if (kind === 'money' && isObj(c.value)) {
    valueInput = <MoneyMap label={valueLabel} path={[...path, 'value']} value={c.value} edit={edit} />;
  } else if (kind === 'number' || kind === 'money') {
    valueInput = (
      <NumberInput
        label={valueLabel}
        description={c.value === null ? t('admin.policy.form.nullHint') : undefined}
        value={num(c.value)}
        onChange={(v) => setValue(typeof v === 'number' ? v : null)}
        error={valueError}
      />
    );
  } else if (c.field === 'line.reasonCode' && reasonCodes.length > 0) {
    valueInput = (
      <NativeSelect
        label={valueLabel}
        value={str(c.value)}
        onChange={(e) => setValue(e.currentTarget.value)}
        data={[...new Set([...reasonCodes, str(c.value)])].filter(Boolean)}
        error={valueError}
      />
    );
  } else {
    valueInput = (
      <TextInput
        label={valueLabel}
        value={str(c.value)}
        onChange={(e) => setValue(e.currentTarget.value)}
        error={valueError}
      />
    );
  }
  return (
    <Paper withBorder p="xs" radius="sm" data-testid="condition-row">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <NativeSelect
          label={t('admin.policy.form.conditionField', { n })}
          value={c.field}
          onChange={(e) => {
            const field = e.currentTarget.value;
            const same = kindOf(field) === kind;
            edit.set(path, { ...c, field, value: same ? c.value : defaultValue(kindOf(field), c.op) });
          }}
          data={[...new Set([...Object.keys(RULE_FIELDS), c.field])]}
          error={edit.errorAt([...path, 'field'])}
        />
        <NativeSelect
          label={t('admin.policy.form.conditionOp', { n })}
          value={c.op}
          onChange={(e) => {
            const op = e.currentTarget.value;
            const wasList = c.op === 'in' || c.op === 'not_in';
            const isList = op === 'in' || op === 'not_in';
            edit.set(path, { ...c, op, value: wasList === isList ? c.value : defaultValue(kind, op) });
          }}
          data={RULE_OPERATORS.map((op) => ({ value: op, label: tOr(t, `admin.policy.op.${op}`, op) }))}
          error={edit.errorAt([...path, 'op'])}
        />
        {valueInput}
      </SimpleGrid>
      {onRemove && (
        <Group justify="flex-end" mt={4}>
          <Button variant="subtle" color="red" size="compact-sm" onClick={onRemove}>
            {t('admin.policy.form.removeCondition', { n })}
          </Button>
        </Group>
      )}
    </Paper>
  );
}

/** A list typed as "a, b, c": the text stays as typed while the value follows it. */
function ListInput({
  label,
  description,
  value,
  onChange,
  error,
}: {
  label: string;
  description: string;
  value: unknown;
  onChange: (text: string) => void;
  error?: string;
}) {
  const shown = Array.isArray(value) ? value.join(', ') : str(value);
  const [text, setText] = useState(shown);
  useEffect(() => {
    setText((typed) =>
      typed.replace(/\s+/g, '').replace(/,+$/, '') === shown.replace(/\s+/g, '') ? typed : shown,
    );
  }, [shown]);
  return (
    <TextInput
      label={label}
      description={description}
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        onChange(e.currentTarget.value);
      }}
      error={error}
    />
  );
}

function ConditionEditor({
  when,
  path,
  edit,
  reasonCodes,
}: {
  when: unknown;
  path: Path;
  edit: Edit;
  reasonCodes: string[];
}) {
  const { t } = useI18n();
  const group = isObj(when)
    ? Array.isArray(when.all)
      ? 'all'
      : Array.isArray(when.any)
        ? 'any'
        : null
    : null;
  const entries = isComparison(when) ? [when] : group ? asList(asObj(when)[group]) : [];
  const editable = entries.length > 0 && entries.every(isComparison);
  const error = edit.errorAt(path);
  if (!editable) {
    return (
      <Stack gap={4}>
        <Text size="sm" fw={600}>
          {t('admin.policy.field.when')}
        </Text>
        <Alert variant="light" color="gray" p="xs">
          <Text size="sm">{t('admin.policy.form.nestedCondition')}</Text>
          <Code block>{JSON.stringify(when, null, 2)}</Code>
        </Alert>
        {error && (
          <Text size="sm" c="red.8">
            {error}
          </Text>
        )}
      </Stack>
    );
  }
  const comparisons = entries as Comparison[];
  const mode = group ?? 'all';
  const rowPath = (i: number): Path => (group ? [...path, group, i] : path);
  const newComparison: Comparison = { field: 'line.category', op: 'eq', value: '' };
  return (
    <Stack gap="xs" role="group" aria-label={t('admin.policy.field.when')}>
      <Group gap="sm" align="flex-end">
        <Text size="sm" fw={600}>
          {t('admin.policy.field.when')}
        </Text>
        {comparisons.length > 1 && (
          <NativeSelect
            aria-label={t('admin.policy.form.match')}
            size="xs"
            value={mode}
            onChange={(e) => edit.set(path, { [e.currentTarget.value]: comparisons })}
            data={[
              { value: 'all', label: t('admin.policy.form.matchAll') },
              { value: 'any', label: t('admin.policy.form.matchAny') },
            ]}
          />
        )}
      </Group>
      {error && (
        <Text size="sm" c="red.8">
          {error}
        </Text>
      )}
      {comparisons.map((c, i) => (
        <ComparisonRow
          // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no name of their own
          key={i}
          c={c}
          path={rowPath(i)}
          n={i + 1}
          edit={edit}
          reasonCodes={reasonCodes}
          onRemove={
            comparisons.length > 1
              ? () => edit.set(path, { [mode]: comparisons.filter((_, j) => j !== i) })
              : null
          }
        />
      ))}
      <Group>
        <Button
          variant="default"
          size="compact-sm"
          onClick={() => edit.set(path, { [mode]: [...comparisons, newComparison] })}
        >
          {t('admin.policy.form.addCondition')}
        </Button>
      </Group>
    </Stack>
  );
}

function RulesSection({
  policy,
  edit,
  reasonCodes,
}: {
  policy: PolicyDoc;
  edit: Edit;
  reasonCodes: string[];
}) {
  const { t } = useI18n();
  const rules = asList(policy.rules);
  const setList = (list: unknown[]) => edit.set(['rules'], list);
  return (
    <Fieldset legend={t('admin.policy.field.rules')}>
      <Stack gap="sm">
        <Text size="xs" c="dimmed">
          {t('admin.policy.form.rulesHint')}
        </Text>
        {rules.map((r, i) => {
          const rule = asObj(r);
          const at = (...rest: Path): Path => ['rules', i, ...rest];
          const name = str(rule.id) || t('admin.policy.rowN', { n: i + 1 });
          const fee = rule.action === 'fee';
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; ids change as typed
            <Paper key={i} withBorder p="sm" radius="sm" data-testid="rule-row" data-rule-id={str(rule.id)}>
              <Stack gap="xs">
                <Group justify="space-between" gap="sm">
                  <Text fw={600} size="sm">
                    {t('admin.policy.form.ruleN', { n: i + 1 })}
                  </Text>
                  <RowTools
                    name={name}
                    index={i}
                    count={rules.length}
                    onMove={(to) => setList(moveItem(rules, i, to))}
                    onRemove={() => setList(rules.filter((_, j) => j !== i))}
                  />
                </Group>
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                  <TextInput
                    label={t('admin.policy.form.ruleId')}
                    description={t('admin.policy.form.ruleIdHint')}
                    value={str(rule.id)}
                    onChange={(e) => edit.set(at('id'), e.currentTarget.value)}
                    error={edit.errorAt(at('id'))}
                  />
                  <TextInput
                    label={t('admin.policy.field.description')}
                    description={t('admin.policy.form.descriptionHint')}
                    value={str(rule.description)}
                    onChange={(e) => edit.set(at('description'), e.currentTarget.value || undefined)}
                    error={edit.errorAt(at('description'))}
                  />
                </SimpleGrid>
                <ConditionEditor when={rule.when} path={at('when')} edit={edit} reasonCodes={reasonCodes} />
                <NativeSelect
                  label={t('admin.policy.field.action')}
                  value={str(rule.action)}
                  onChange={(e) => {
                    const action = e.currentTarget.value;
                    let next: Obj = { ...rule, action };
                    // The fee's fields only go with a fee: the server refuses them on other actions.
                    if (action !== 'fee') {
                      const { feePercent: _p, feeAmount: _a, label: _l, ...rest } = next;
                      next = rest;
                    }
                    edit.set(['rules', i], next);
                  }}
                  data={RULE_ACTIONS.map((a) => ({ value: a, label: tOr(t, `admin.policy.action.${a}`, a) }))}
                  error={edit.errorAt(at('action'))}
                />
                {fee && (
                  <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                    <NumberInput
                      label={t('admin.policy.field.feePercent')}
                      min={0}
                      max={100}
                      decimalScale={2}
                      value={num(rule.feePercent)}
                      onChange={(v) => edit.set(at('feePercent'), numOrUndefined(v))}
                      error={edit.errorAt(at('feePercent'))}
                    />
                    <TextInput
                      label={t('admin.policy.form.feeLabel')}
                      value={str(rule.label)}
                      onChange={(e) => edit.set(at('label'), e.currentTarget.value || undefined)}
                      error={edit.errorAt(at('label'))}
                    />
                    <MoneyMap
                      label={t('admin.policy.field.feeAmount')}
                      path={at('feeAmount')}
                      value={rule.feeAmount}
                      edit={edit}
                    />
                  </SimpleGrid>
                )}
                <Textarea
                  label={t('admin.policy.form.ruleMessage')}
                  description={t('admin.policy.form.ruleMessageHint')}
                  autosize
                  minRows={1}
                  value={str(rule.message)}
                  onChange={(e) => edit.set(at('message'), e.currentTarget.value)}
                  error={edit.errorAt(at('message'))}
                />
              </Stack>
            </Paper>
          );
        })}
        <Group>
          <Button
            variant="default"
            onClick={() =>
              setList([
                ...rules,
                {
                  id: `rule-${rules.length + 1}`,
                  when: { field: 'line.category', op: 'eq', value: '' },
                  action: 'review',
                  message: '',
                },
              ])
            }
          >
            {t('admin.policy.form.addRule')}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}

function ResolutionsSection({ policy, edit }: { policy: PolicyDoc; edit: Edit }) {
  const { t } = useI18n();
  // Absent means every resolution; the field is written once the admin narrows the list.
  const chosen = Array.isArray(policy.resolutions) ? policy.resolutions.map(str) : [...RESOLUTIONS];
  return (
    <Fieldset legend={t('admin.policy.field.resolutions')}>
      <Checkbox.Group
        description={t('admin.policy.form.resolutionsHint')}
        aria-label={t('admin.policy.field.resolutions')}
        value={chosen}
        onChange={(v) =>
          edit.set(
            ['resolutions'],
            RESOLUTIONS.filter((r) => v.includes(r)),
          )
        }
        error={edit.errorAt(['resolutions'])}
      >
        <Group gap="md" mt={6}>
          {RESOLUTIONS.map((r) => (
            <Checkbox key={r} value={r} label={tOr(t, `admin.policy.resolution.${r}`, r)} />
          ))}
        </Group>
      </Checkbox.Group>
    </Fieldset>
  );
}

function AddressSection({ policy, edit }: { policy: PolicyDoc; edit: Edit }) {
  const { t } = useI18n();
  const address = isObj(policy.returnAddress) ? policy.returnAddress : null;
  const lines = asList(address?.lines).map(str);
  const write = (name: string, text: string) =>
    edit.set(
      ['returnAddress'],
      name === '' && text === '' ? undefined : { ...address, name, lines: text.split('\n') },
    );
  return (
    <Fieldset legend={t('admin.policy.field.returnAddress')}>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput
          label={t('admin.policy.form.addressName')}
          value={str(address?.name)}
          onChange={(e) => write(e.currentTarget.value, lines.join('\n'))}
          error={edit.errorAt(['returnAddress', 'name'])}
        />
        <Textarea
          label={t('admin.policy.form.addressLines')}
          description={t('admin.policy.form.addressLinesHint')}
          autosize
          minRows={2}
          value={lines.join('\n')}
          onChange={(e) => write(str(address?.name), e.currentTarget.value)}
          error={
            edit.errorAt(['returnAddress', 'lines']) ??
            lines.map((_, i) => edit.errorAt(['returnAddress', 'lines', i])).find(Boolean)
          }
        />
      </SimpleGrid>
    </Fieldset>
  );
}
