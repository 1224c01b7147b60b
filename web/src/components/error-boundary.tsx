import { Alert, Button, Stack, Text } from '@mantine/core';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { isApiError } from '../lib/api.ts';
import { useI18n } from '../lib/i18n/i18n-provider.tsx';

type Props = {
  children: ReactNode;
  /** Changing this value (e.g. the route's path) clears a caught error. */
  resetKey?: unknown;
  /** A smaller message for one region of a page instead of a whole-page panel. */
  compact?: boolean;
};
type State = { error: unknown };

/**
 * Catches a render error in its region so the rest of the page keeps working
 * (Bulletproof React: one boundary per page region).
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('page region failed', error, info.componentStack);
  }

  override componentDidUpdate(prev: Props): void {
    if (this.state.error !== null && prev.resetKey !== this.props.resetKey) this.setState({ error: null });
  }

  override render(): ReactNode {
    if (this.state.error === null) return this.props.children;
    return (
      <ErrorPanel
        error={this.state.error}
        compact={this.props.compact ?? false}
        onRetry={() => this.setState({ error: null })}
      />
    );
  }
}

/** What a failed region shows: a plain sentence in the reader's language and a retry button. */
export function ErrorPanel({
  error,
  onRetry,
  compact = false,
}: {
  error: unknown;
  onRetry?: () => void;
  compact?: boolean;
}) {
  const { t } = useI18n();
  const message = isApiError(error, 'network_error')
    ? t('error.network')
    : isApiError(error, 'rate_limited')
      ? t('error.rateLimited')
      : t('error.body');
  return (
    <Alert color="red" variant="light" title={t('error.title')} role="alert" p={compact ? 'sm' : 'md'}>
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{message}</Text>
        {onRetry && (
          <Button size="xs" variant="default" onClick={onRetry}>
            {t('error.retry')}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
