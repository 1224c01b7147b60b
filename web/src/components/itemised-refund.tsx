import { Stack, Table, Text } from '@mantine/core';
import { formatCalendarDate } from '../lib/dates.ts';
import { useI18n } from '../lib/i18n/i18n-provider.tsx';
import { type Conversion, type ItemisedRow, itemisedCodeKey, itemisedReasonKey } from '../lib/sourcing.ts';

/**
 * A purchasing agent's refund, row by row (`sourcing.itemised`): the goods, each fee paid and
 * what of it comes back with the reason in plain words, the deductions; the rows sum exactly to
 * the refund. Then where the money goes and, when the customer reads another currency, the
 * converted amount with its rate and date. Shared by the tracking page, the portal and the console.
 */
export function ItemisedRefund({
  itemised,
  currency,
  refundTo,
  display,
  testId = 'itemised-refund',
}: {
  itemised: ItemisedRow[];
  currency: string;
  refundTo?: string | null;
  display?: Conversion;
  testId?: string;
}) {
  const { t, money, locale } = useI18n();
  const total = itemised.reduce((s, r) => s + r.refunded, 0);
  return (
    <Stack gap="sm" data-testid={testId}>
      <Table verticalSpacing="xs" horizontalSpacing="sm">
        <caption className="visually-hidden">{t('itemised.caption')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('itemised.col.part')}</Table.Th>
            <Table.Th scope="col" className="money">
              {t('itemised.col.paid')}
            </Table.Th>
            <Table.Th scope="col" className="money">
              {t('itemised.col.refunded')}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {itemised.map((row) => {
            const deduction = row.refunded < 0;
            const reasonKey = itemisedReasonKey(row.reason);
            return (
              <Table.Tr key={row.code} data-code={row.code} data-refunded={row.refunded}>
                <Table.Th scope="row" fw={400}>
                  <Text span size="sm" fw={600}>
                    {t(itemisedCodeKey(row.code))}
                  </Text>
                  {(deduction || reasonKey) && (
                    <Text size="xs" c="dimmed" data-testid="itemised-reason">
                      {deduction ? t('itemised.deduction') : reasonKey ? t(reasonKey) : ''}
                    </Text>
                  )}
                </Table.Th>
                <Table.Td className="money">{deduction ? '—' : money(row.paid, currency)}</Table.Td>
                <Table.Td className="money">{money(row.refunded, currency)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th scope="row" colSpan={2}>
              {t('itemised.total')}
            </Table.Th>
            <Table.Td className="money" fw={700} data-testid="itemised-total">
              {money(total, currency)}
            </Table.Td>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
      {display && (
        <Text size="sm" data-testid="itemised-display">
          {t('itemised.display', {
            amount: money(display.converted, display.quote),
            rate: display.rate,
            date: formatCalendarDate(display.rateDate, locale),
          })}
        </Text>
      )}
      {(refundTo === 'wallet' || refundTo === 'original_payment') && (
        <Text size="sm" data-testid="itemised-refund-to" data-refund-to={refundTo}>
          {t(refundTo === 'wallet' ? 'itemised.refundTo.wallet' : 'itemised.refundTo.original_payment')}
        </Text>
      )}
    </Stack>
  );
}
