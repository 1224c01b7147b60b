import { Anchor, Button, Group, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import type { MessageKey } from '../lib/i18n/en.ts';
import { useI18n } from '../lib/i18n/i18n-provider.tsx';
import { useShowShop } from '../lib/shop-brand.ts';
import { staffAreas, useSignOut } from '../lib/staff-session.ts';

const AREA: Record<ReturnType<typeof staffAreas>[number], { to: string; label: MessageKey }> = {
  console: { to: '/console', label: 'staff.nav.console' },
  warehouse: { to: '/console/warehouse', label: 'staff.nav.warehouse' },
  analytics: { to: '/admin/analytics', label: 'staff.nav.analytics' },
  admin: { to: '/admin/policy', label: 'staff.nav.admin' },
};

/** Which area a path is in, for `aria-current`. */
function areaOf(pathname: string): string {
  if (pathname.startsWith('/console/warehouse')) return 'warehouse';
  if (pathname.startsWith('/admin/analytics')) return 'analytics';
  if (pathname.startsWith('/admin')) return 'admin';
  return 'console';
}

/**
 * The bar on every signed-in staff page (console, warehouse, analytics, settings): the shop,
 * the areas this role may open, who is signed in, and signing out.
 */
export function StaffBar({
  tenant,
  user,
  purchasingAgent,
  userTestId,
  children,
}: {
  tenant: { name: string; handle?: string };
  user: { name: string; role: string; roleLabel: string };
  /** The warehouse is a purchasing agent's: a merchant has no line stages to move. */
  purchasingAgent: boolean;
  userTestId: string;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const here = areaOf(pathname);
  // The header names the shop these pages belong to.
  useShowShop(tenant.name, tenant.handle);
  const areas = staffAreas(user.role).filter((a) => a !== 'warehouse' || purchasingAgent);
  return (
    <Paper component="section" aria-label={t('staff.bar.label')} withBorder px="md" py="xs" radius="md">
      <Stack gap={6}>
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="md" wrap="wrap">
            <Text fw={700} data-testid="staff-tenant">
              {tenant.name}
            </Text>
            {areas.length > 1 && (
              <Group component="nav" aria-label={t('staff.nav.label')} gap="sm" wrap="wrap">
                {areas.map((a) => (
                  <Anchor
                    key={a}
                    component={Link}
                    to={AREA[a].to}
                    size="sm"
                    fw={here === a ? 700 : undefined}
                    aria-current={here === a ? 'page' : undefined}
                    data-testid={`nav-${a}`}
                  >
                    {t(AREA[a].label)}
                  </Anchor>
                ))}
              </Group>
            )}
          </Group>
          <Group gap="sm" wrap="wrap">
            <Text size="sm" data-testid={userTestId}>
              {t('console.shell.user', { name: user.name, role: user.roleLabel })}
            </Text>
            <Button
              size="xs"
              variant="default"
              loading={signOut.isPending}
              onClick={() => signOut.mutate(undefined, { onSettled: () => navigate('/console/login') })}
            >
              {t('console.shell.signOut')}
            </Button>
          </Group>
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}
