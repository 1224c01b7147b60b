import { Button } from '@mantine/core';

/** The "Load more" button of a paged list: there while the API has a next page, busy while it loads. */
export function LoadMore({
  query,
  label,
  size,
}: {
  query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
  label: string;
  size?: 'xs';
}) {
  if (!query.hasNextPage) return null;
  return (
    <Button
      variant="default"
      size={size}
      loading={query.isFetchingNextPage}
      onClick={() => void query.fetchNextPage()}
    >
      {label}
    </Button>
  );
}
