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
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { ROLES, type StaffUser, userCalls, useUserMutation, useUsers } from '../api/admin-api.ts';

const messageOf = (e: unknown) =>
  isApiError(e) ? e.message : e instanceof Error ? e.message : 'The request failed.';

/** `/admin/users`: the shop's staff, their roles; add, change role, remove. */
export function UsersPage({ selfId }: { selfId: string }) {
  useDocumentTitle('Users · Administration', 'Returnflow');
  const users = useUsers();
  const setRole = useUserMutation(userCalls.setRole);
  const remove = useUserMutation(userCalls.remove);
  const [removing, setRemoving] = useState<StaffUser | null>(null);
  const failure = setRole.error ?? remove.error;

  return (
    <Stack gap="md" data-testid="users-page">
      <h1 className="admin-h1">Users</h1>
      {failure && (
        <Alert color="red" variant="light" role="alert" data-testid="users-error">
          {messageOf(failure)}
        </Alert>
      )}
      {users.isPending ? (
        <Loader aria-label="Loading the users" />
      ) : users.isError ? (
        <ErrorPanel error={users.error} onRetry={() => void users.refetch()} />
      ) : users.data.data.length === 0 ? (
        <Text>No staff users yet.</Text>
      ) : (
        <Table striped withTableBorder data-testid="users">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Email</Table.Th>
              <Table.Th scope="col">Role</Table.Th>
              <Table.Th scope="col">
                <span className="visually-hidden">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.data.data.map((u) => (
              <Table.Tr key={u.id} data-testid="user-row" data-email={u.email}>
                <Table.Td>
                  {u.name}
                  {u.id === selfId ? ' (you)' : ''}
                </Table.Td>
                <Table.Td>{u.email}</Table.Td>
                <Table.Td>
                  <NativeSelect
                    aria-label={`Role of ${u.name}`}
                    data={[...ROLES]}
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
                    aria-label={`Remove ${u.name}`}
                    onClick={() => {
                      setRole.reset();
                      setRemoving(u);
                    }}
                  >
                    Remove
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <AddUser />
      <Modal opened={removing !== null} onClose={() => setRemoving(null)} title="Remove this user?">
        <Stack gap="md">
          <Text size="sm">
            {removing?.name} ({removing?.email}) will be signed out and can no longer sign in.
          </Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setRemoving(null)}>
              Cancel
            </Button>
            <Button
              loading={remove.isPending}
              onClick={() => {
                if (removing) remove.mutate(removing.id, { onSettled: () => setRemoving(null) });
              }}
            >
              Remove {removing?.name}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function AddUser() {
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
            Add a user
          </Title>
          {add.isError && (
            <Alert color="red" variant="light" role="alert" data-testid="add-user-error">
              {messageOf(add.error)}
            </Alert>
          )}
          {add.isSuccess && (
            <Alert color="green" variant="light" role="status" data-testid="add-user-done">
              Added {add.data.name}.
            </Alert>
          )}
          <Group gap="sm" align="flex-start" wrap="wrap">
            <TextInput label="Email" type="email" value={form.email} onChange={set('email')} required />
            <TextInput label="Name" value={form.name} onChange={set('name')} required />
            <NativeSelect label="Role" data={[...ROLES]} value={form.role} onChange={set('role')} />
            <PasswordInput
              label="Password"
              description="At least 10 characters"
              value={form.password}
              onChange={set('password')}
              error={short ? 'Use at least 10 characters.' : undefined}
              required
            />
          </Group>
          <Group>
            <Button
              type="submit"
              loading={add.isPending}
              disabled={!form.email || !form.name || form.password.length < 10}
            >
              Add user
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
