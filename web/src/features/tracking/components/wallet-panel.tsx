import { Alert, Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../../../lib/api.ts';
import { formatCalendarDate } from '../../../lib/dates.ts';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { currencyExponent, minorToDecimalString, parseMinor } from '../../../lib/money.ts';
import { useWallet, useWithdraw } from '../api/tracking-api.ts';

/**
 * A purchasing agent's customer: what is in the wallet (the refunds put there), and a way to send
 * it back to the original payment method. Nothing else can be done with the money from here.
 */
export function WalletPanel({ token }: { token: string }) {
  const { t, money, dateTime, locale } = useI18n();
  const wallet = useWallet(token, true);
  const withdraw = useWithdraw(token);
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<string | null>(null);

  if (wallet.isPending) return <Text size="sm">{t('wallet.loading')}</Text>;
  if (wallet.isError || !wallet.data) return <Text size="sm">{t('wallet.unavailable')}</Text>;
  const balance = wallet.data.balances.find((b) => b.balance > 0) ?? wallet.data.balances[0];
  const exponent = balance ? currencyExponent(balance.currency) : 2;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!balance) return;
    const minor = amount.trim() === '' ? balance.balance : parseMinor(amount, exponent);
    if (minor === null || minor <= 0) return setError(t('wallet.invalidAmount'));
    if (minor > balance.balance)
      return setError(t('wallet.tooMuch', { amount: money(balance.balance, balance.currency) }));
    setError(null);
    withdraw.mutate({ amount: minor, currency: balance.currency }, { onSuccess: () => setAmount('') });
  };

  return (
    <Stack gap="sm" data-testid="wallet">
      {balance && balance.balance > 0 ? (
        <>
          <Text data-testid="wallet-balance" data-amount={balance.balance}>
            {t('wallet.balance', { amount: money(balance.balance, balance.currency) })}
          </Text>
          {balance.display && (
            <Text size="sm" c="dimmed">
              {t('itemised.display', {
                amount: money(balance.display.converted, balance.display.quote),
                rate: balance.display.rate,
                date: formatCalendarDate(balance.display.rateDate, locale),
              })}
            </Text>
          )}
          <form onSubmit={submit} noValidate>
            <Stack gap="xs" align="flex-start">
              <TextInput
                label={t('wallet.amount', { currency: balance.currency })}
                description={t('wallet.amountHint', {
                  amount: minorToDecimalString(balance.balance, exponent),
                })}
                placeholder={minorToDecimalString(balance.balance, exponent)}
                inputMode="decimal"
                value={amount}
                onChange={(e) => {
                  setAmount(e.currentTarget.value);
                  setError(null);
                }}
                error={error}
                name="amount"
              />
              <Button type="submit" loading={withdraw.isPending}>
                {t('wallet.withdraw')}
              </Button>
            </Stack>
          </form>
        </>
      ) : (
        <Text data-testid="wallet-empty">{t('wallet.empty')}</Text>
      )}
      {withdraw.isError && (
        <Alert color="red" variant="light" role="alert">
          {isApiError(withdraw.error) ? withdraw.error.message : t('error.body')}
        </Alert>
      )}
      {withdraw.isSuccess && (
        <Alert color="green" variant="light" role="status" data-testid="withdrawal-requested">
          {t('wallet.requested', { amount: money(withdraw.data.amount, withdraw.data.currency) })}
        </Alert>
      )}
      {wallet.data.withdrawals.length > 0 && (
        <Table verticalSpacing={4} data-testid="withdrawals">
          <caption className="visually-hidden">{t('wallet.withdrawals')}</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('wallet.col.when')}</Table.Th>
              <Table.Th scope="col" className="money">
                {t('wallet.col.amount')}
              </Table.Th>
              <Table.Th scope="col">{t('wallet.col.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {wallet.data.withdrawals.map((w) => (
              <Table.Tr key={w.id} data-status={w.status}>
                <Table.Td>{dateTime(w.createdAt)}</Table.Td>
                <Table.Td className="money">{money(w.amount, w.currency)}</Table.Td>
                <Table.Td>
                  {t(w.status === 'paid' ? 'wallet.status.paid' : 'wallet.status.requested')}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group gap="xs">
        <Text size="xs" c="dimmed">
          {t('wallet.note')}
        </Text>
      </Group>
    </Stack>
  );
}
