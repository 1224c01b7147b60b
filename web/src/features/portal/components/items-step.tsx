import { Alert, Anchor, Checkbox, Group, NumberInput, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import type { PortalLine } from '../api/portal-api.ts';
import { trackingPath } from './draft.ts';
import { LineProblemText } from './line-problem.tsx';
import { ineligibleText } from './portal-text.ts';
import { StepButtons } from './step-buttons.tsx';
import type { StepProps } from './steps.ts';

const canReturn = (l: PortalLine) => l.eligible && l.returnableQuantity > 0;

/** Step 2: which items, how many; what cannot be returned is shown with the reason why. */
export function ItemsStep({ view, draft, update, next, problems }: StepProps) {
  const { t, money, date } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const returnable = view.order.lines.filter(canReturn);
  const chosen = returnable.filter((l) => (draft.selected[l.id] ?? 0) > 0);
  const currency = view.order.currency;

  const setQuantity = (id: string, quantity: number) => {
    setError(null);
    update((d) => ({ ...d, selected: { ...d.selected, [id]: quantity } }));
  };

  const proceed = () => {
    if (chosen.length === 0) {
      setError(t('portal.items.required'));
      return;
    }
    next();
  };

  return (
    <Stack gap="md">
      {returnable.length > 0 ? (
        <Text>{t('portal.items.intro')}</Text>
      ) : (
        <Alert
          color="yellow"
          variant="light"
          title={t('portal.items.none.title')}
          data-testid="no-eligible"
          styles={{ title: { color: 'var(--mantine-color-text)' } }}
        >
          {t('portal.items.none.body', { shop: view.shop.name, number: view.order.orderNumber })}
        </Alert>
      )}
      <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
        {view.order.lines.map((line) => {
          const ok = canReturn(line);
          const quantity = draft.selected[line.id] ?? 0;
          const checked = ok && quantity > 0;
          const problem = problems.find((p) => p.orderLineId === line.id);
          const why = ok
            ? null
            : ineligibleText(t, date, {
                ...line,
                code: line.code ?? (line.eligible ? 'quantity_exceeds_remaining' : undefined),
              });
          const detailId = `line-${line.id}-detail`;
          return (
            <Paper
              component="li"
              key={line.id}
              withBorder
              radius="md"
              p="sm"
              bg={ok ? undefined : 'gray.1'}
              data-testid="order-line"
              data-line-id={line.id}
              data-eligible={ok}
            >
              <Group justify="space-between" align="flex-start" gap="sm" wrap="wrap">
                <Checkbox
                  checked={checked}
                  disabled={!ok}
                  onChange={(e) => setQuantity(line.id, e.currentTarget.checked ? Math.max(1, quantity) : 0)}
                  label={<span className={ok ? undefined : 'line-title-disabled'}>{line.title}</span>}
                  aria-describedby={detailId}
                  style={{ flex: '1 1 14rem' }}
                  styles={{ label: { fontWeight: 600 } }}
                />
                <Text className="money" size="sm" ms="auto">
                  {t('portal.items.price', { price: money(line.unitPrice, currency) })}
                </Text>
              </Group>
              <Stack gap={4} pl={32} mt={4} id={detailId}>
                <Text size="sm" c="dimmed">
                  {t('portal.items.sku', { sku: line.sku })} ·{' '}
                  {t('portal.items.ordered', { count: line.quantity })}
                </Text>
                {why && (
                  <Text size="sm" data-testid="ineligible-reason" lang={why.translated ? undefined : 'en'}>
                    <strong>{t('portal.items.notReturnable')}:</strong> {why.text}
                  </Text>
                )}
                {problem && <LineProblemText problem={problem} alert />}
              </Stack>
              {checked && line.returnableQuantity > 1 && (
                <NumberInput
                  pl={32}
                  mt="xs"
                  maw={220}
                  label={t('portal.items.quantity')}
                  aria-label={`${t('portal.items.quantity')}: ${line.title}`}
                  value={quantity}
                  min={1}
                  max={line.returnableQuantity}
                  clampBehavior="strict"
                  allowDecimal={false}
                  allowNegative={false}
                  onChange={(v) =>
                    setQuantity(line.id, Math.max(1, Math.min(line.returnableQuantity, Number(v) || 1)))
                  }
                  data-testid="quantity"
                />
              )}
            </Paper>
          );
        })}
      </Stack>

      {view.returns.length > 0 && (
        <Stack gap={4} data-testid="existing-returns">
          <Title order={3} size="h5">
            {t('portal.items.existing.title')}
          </Title>
          <Stack gap={2} component="ul" pl="md" my={0}>
            {view.returns.map((r) => (
              <Text component="li" key={r.id} size="sm">
                <Anchor component={Link} to={trackingPath(r.trackingUrl)}>
                  {t('portal.items.existing.link', { rma: r.rmaNumber })}
                </Anchor>{' '}
                ({t('portal.items.existing.date', { date: date(r.createdAt) })})
              </Text>
            ))}
          </Stack>
        </Stack>
      )}

      <StepButtons error={error} onNext={returnable.length > 0 ? proceed : undefined} />
    </Stack>
  );
}
