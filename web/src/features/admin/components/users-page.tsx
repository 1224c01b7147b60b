import {
  Alert,
  Button,
  Group,
  Loader,
  Modal,
  NativeSelect,
  Paper,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { isApiError } from '../../../lib/api.ts';
import { type Translate, useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { ROLES, type StaffUser, userCalls, useUserMutation, useUsers } from '../api/admin-api.ts';
import { roleLabel } from './role-label.ts';

// The server's message is shown as it comes (not translated); only our own fallback is.
const messageOf = (e: unknown, t: Translate) =>
  isApiError(e) ? e.message : e instanceof Error ? e.message : t('admin.requestFailed');

/** The role choices: the API's codes as values, labelled in the reader's language. */
const roleOptions = (t: Translate) => ROLES.map((r) => ({ value: r, label: roleLabel(t, r) }));

/** `/admin/users`: the shop's staff, their roles; add, change role, remove. */
export function UsersPage({ selfId }: { selfId: string }) {
  const { t } = useI18n();
  useDocumentTitle(t('admin.users.docTitle'), 'Returnflow');
  const users = useUsers();
  const setRole = useUserMutation(userCalls.setRole);
  const remove = useUserMutation(userCalls.remove);
  const [removing, setRemoving] = useState<StaffUser | null>(null);
  const failure = setRole.error ?? remove.error;

  return (
    <Stack gap="md" data-testid="users-page">
      <h1 className="admin-h1">{t('admin.users.title')}</h1>
      {failure && (
        <Alert color="red" variant="light" role="alert" data-testid="users-error">
          {messageOf(failure, t)}
        </Alert>
      )}
      {users.isPending ? (
        <Loader aria-label={t('admin.users.loading')} />
      ) : users.isError ? (
        <ErrorPanel error={users.error} onRetry={() => void users.refetch()} />
      ) : users.data.data.length === 0 ? (
        <Text>{t('admin.users.empty')}</Text>
      ) : (
        <Table striped withTableBorder data-testid="users">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('admin.users.name')}</Table.Th>
              <Table.Th scope="col">{t('admin.users.email')}</Table.Th>
              <Table.Th scope="col">{t('admin.users.role')}</Table.Th>
              <Table.Th scope="col">
                <span className="visually-hidden">{t('admin.actions')}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.data.data.map((u) => (
              <Table.Tr key={u.id} data-testid="user-row" data-email={u.email}>
                <Table.Td>
                  {u.name}
                  {u.id === selfId ? t('admin.users.you') : ''}
                </Table.Td>
                <Table.Td>{u.email}</Table.Td>
                <Table.Td>
                  <NativeSelect
                    aria-label={t('admin.users.roleOf', { name: u.name })}
                    data={roleOptions(t)}
                    value={u.role}
                    disabled={setRole.isPending}
                    onChange={(e) => {
                      remove.reset();
                      setRole.mutate({ id: u.id, role: e.currentTarget.value });
                    }}
                    size="xs"
                  />
                </Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="default"
                    aria-label={t('admin.users.removeNamed', { name: u.name })}
                    onClick={() => {
                      setRole.reset();
                      setRemoving(u);
                    }}
                  >
                    {t('admin.users.remove')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <AddUser />
      <Modal
        opened={removing !== null}
        onClose={() => setRemoving(null)}
        title={t('admin.users.removeTitle')}
      >
        <Stack gap="md">
          <Text size="sm">
            {t('admin.users.removeBody', { name: removing?.name ?? '', email: removing?.email ?? '' })}
          </Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setRemoving(null)}>
              {t('admin.cancel')}
            </Button>
            <Button
              loading={remove.isPending}
              onClick={() => {
                if (removing) remove.mutate(removing.id, { onSettled: () => setRemoving(null) });
              }}
            >
              {t('admin.users.removeNamed', { name: removing?.name ?? '' })}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function AddUser() {
  const { t } = useI18n();
  const add = useUserMutation(userCalls.add);
  const [form, setForm] = useState({ email: '', name: '', role: 'agent', password: '' });
  const set = (k: keyof typeof form) => (e: { currentTarget: { value: string } }) =>
    setForm({ ...form, [k]: e.currentTarget.value });
  const short = form.password.length > 0 && form.password.length < 10;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(form, { onSuccess: () => setForm({ email: '', name: '', role: 'agent', password: '' }) });
  };
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="add-user-title">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h4" id="add-user-title">
            {t('admin.users.add.title')}
          </Title>
          {add.isError && (
            <Alert color="red" variant="light" role="alert" data-testid="add-user-error">
              {messageOf(add.error, t)}
            </Alert>
          )}
          {add.isSuccess && (
            <Alert color="green" variant="light" role="status" data-testid="add-user-done">
              {t('admin.users.add.done', { name: add.data.name })}
            </Alert>
          )}
          <Group gap="sm" align="flex-start" wrap="wrap">
            <TextInput
              label={t('admin.users.email')}
              type="email"
              value={form.email}
              onChange={set('email')}
              required
            />
            <TextInput label={t('admin.users.name')} value={form.name} onChange={set('name')} required />
            <NativeSelect
              label={t('admin.users.role')}
              data={roleOptions(t)}
              value={form.role}
              onChange={set('role')}
            />
            <PasswordInput
              label={t('admin.users.add.password')}
              description={t('admin.users.add.passwordHint')}
              value={form.password}
              onChange={set('password')}
              error={short ? t('admin.users.add.passwordShort') : undefined}
              required
            />
          </Group>
          <Group>
            <Button
              type="submit"
              loading={add.isPending}
              disabled={!form.email || !form.name || form.password.length < 10}
            >
              {t('admin.users.add.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
