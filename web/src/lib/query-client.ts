import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api.ts';

/** One cache for the app. A 4xx will not change on retry; a network error or 5xx may. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (failures, error) =>
          failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      },
      mutations: { retry: false },
    },
  });
}
