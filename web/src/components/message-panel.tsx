import { Button, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** A friendly full-page message (not found, gone) with one way forward. */
export function MessagePanel({
  title,
  body,
  action,
  icon,
}: {
  title: string;
  body: string;
  action?: { label: string; to: string };
  icon?: ReactNode;
}) {
  return (
    <Paper withBorder radius="md" p="xl" maw={640} mx="auto" mt="lg">
      <Stack gap="md" align="flex-start">
        {icon}
        <Title order={1}>{title}</Title>
        <Text>{body}</Text>
        {action && (
          <Button component={Link} to={action.to}>
            {action.label}
          </Button>
        )}
      </Stack>
    </Paper>
  );
}
