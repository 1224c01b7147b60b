import { BREAKDOWN_CODES, type BreakdownCode, type BreakdownRow } from '@contract/money.ts';
import { Table } from '@mantine/core';
import type { MessageKey } from '../lib/i18n/en.ts';
import { type Translate, useI18n } from '../lib/i18n/i18n-provider.tsx';
import { itemisedCodeKey } from '../lib/sourcing.ts';

export type { BreakdownRow };

/** Every fixed row the server makes has its words here: a new code breaks this build until it does. */
const KEYS: Record<BreakdownCode, MessageKey> = {
  items: 'breakdown.items',
  discounts: 'breakdown.discounts',
  tax: 'breakdown.tax',
  shipping: 'breakdown.shipping',
  restocking: 'breakdown.restocking',
  new_items: 'breakdown.newItems',
  bonus: 'breakdown.bonus',
  due: 'breakdown.due',
  adjusted: 'breakdown.adjusted',
  replaced: 'breakdown.replaced',
};

/** A row's name in the reader's language; a shop's own fee keeps the label the shop wrote. */
export function breakdownLabel(t: Translate, row: BreakdownRow): { text: string; lang?: string } {
  const key = (BREAKDOWN_CODES as readonly string[]).includes(row.code)
    ? KEYS[row.code as BreakdownCode]
    : null;
  if (key) return { text: t(key) };
  // The built-in return-shipping fee reads in the customer's language; a shop's own fee does not.
  if (row.code === 'fee:return_shipping') return { text: t('breakdown.returnShipping') };
  if (row.code.startsWith('charge:')) return { text: t(itemisedCodeKey(row.code.slice(7))) };
  return { text: row.label, lang: 'en' };
}

/**
 * What the customer gets back, row by row, and the total: the rows always add up to it, since
 * both come from the server's one breakdown. Shared by the portal's review, the tracking page and
 * the console.
 */
export function BreakdownTable({
  rows,
  total,
  currency,
  totalLabel,
  testId,
  totalTestId,
}: {
  rows: BreakdownRow[];
  total: number;
  currency: string;
  totalLabel: string;
  testId: string;
  totalTestId: string;
}) {
  const { t, money } = useI18n();
  return (
    <Table data-testid={testId} verticalSpacing="xs" horizontalSpacing="sm">
      <caption className="visually-hidden">{t('refund.caption')}</caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('refund.col.line')}</Table.Th>
          <Table.Th scope="col" className="money">
            {t('refund.col.amount')}
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row, i) => {
          const label = breakdownLabel(t, row);
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: a shop may have two fees of one code; the order is the server's
            <Table.Tr key={`${row.code}-${i}`} data-row={row.code} data-amount={row.amount}>
              <Table.Th scope="row" fw={400}>
                <span lang={label.lang}>{label.text}</span>
              </Table.Th>
              <Table.Td className="money">{money(row.amount, currency)}</Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
      <Table.Tfoot>
        <Table.Tr data-row="total">
          <Table.Th scope="row">{totalLabel}</Table.Th>
          <Table.Td className="money" fw={700} data-testid={totalTestId} data-amount={total}>
            {money(total, currency)}
          </Table.Td>
        </Table.Tr>
      </Table.Tfoot>
    </Table>
  );
}
