import { Container } from '@mantine/core';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { ErrorPanel } from '../components/error-boundary.tsx';
import { MessagePanel } from '../components/message-panel.tsx';
import { useI18n } from '../lib/i18n/i18n-provider.tsx';

/**
 * A route's error boundary: the page failed (or its code chunk did not load after a deploy),
 * the layout around it still stands. `standalone` is the last resort when the layout itself failed.
 */
export function RouteError({ standalone = false }: { standalone?: boolean }) {
  const error = useRouteError();
  const { t } = useI18n();
  const body =
    isRouteErrorResponse(error) && error.status === 404 ? (
      <MessagePanel
        title={t('notFound.title')}
        body={t('notFound.body')}
        action={{ label: t('notFound.home'), to: '/' }}
      />
    ) : (
      <ErrorPanel error={error} onRetry={() => window.location.reload()} />
    );
  if (!standalone) return body;
  return (
    <Container size="md" py="xl" component="main">
      {body}
    </Container>
  );
}
