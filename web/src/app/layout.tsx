import { Anchor, Container, Group, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { useI18n } from '../lib/i18n/i18n-provider.tsx';
import { useShopBrand } from '../lib/shop-brand.ts';

/** Header (shop, language), one main landmark with a skip link to it, footer with the ways in. */
export function Layout() {
  const { t } = useI18n();
  const shop = useShopBrand();
  const mainRef = useRef<HTMLElement>(null);
  const { pathname, hash } = useLocation();
  const shownPath = useRef(pathname);
  // Staff pages (console, warehouse, analytics, settings) have their own bar and a staff footer.
  const staff = /^\/(console|admin)(\/|$)/.test(pathname);

  // A client-side navigation does not move focus the way a page load does: put it on the new
  // page's main region so keyboard and screen-reader users start at its top.
  useEffect(() => {
    if (shownPath.current === pathname) return;
    shownPath.current = pathname;
    // A link to a place in the page (`/#track`) is left to that page to focus.
    if (!hash) mainRef.current?.focus();
  }, [pathname, hash]);

  return (
    <div className="app-shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <Container size="lg" py="sm">
          <Group justify="space-between" wrap="nowrap" gap="sm">
            <Link
              to={staff ? '/console' : shop?.handle ? `/s/${shop.handle}/returns` : '/'}
              className="brand-link"
            >
              <img src="/favicon.svg" alt="" width={28} height={28} />
              <span data-testid="brand">{shop?.name ?? t('app.shopName')}</span>
            </Link>
            <LanguageSwitch />
          </Group>
        </Container>
      </header>
      <main id="main" className="app-main" ref={mainRef} tabIndex={-1}>
        <Container size="lg">
          <Outlet />
        </Container>
      </main>
      <footer className="app-footer">
        <Container size="lg">
          {staff ? (
            <Group gap="lg" justify="space-between" wrap="wrap">
              <Text size="sm" c="dimmed">
                {t('app.footer.staff')}
              </Text>
              <nav aria-label={t('app.nav.label')}>
                <Group gap="lg" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                  <li>
                    <Anchor href="/api/docs" size="sm">
                      {t('app.nav.apiDocs')}
                    </Anchor>
                  </li>
                  {shop?.handle && (
                    <li>
                      <Anchor component={Link} to={`/s/${shop.handle}/returns`} size="sm">
                        {t('app.nav.customerPortal')}
                      </Anchor>
                    </li>
                  )}
                </Group>
              </nav>
            </Group>
          ) : (
            <Stack gap="xs">
              <nav aria-label={t('app.nav.label')}>
                <Group gap="lg" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                  <li>
                    <Anchor
                      component={Link}
                      to={shop?.handle ? `/s/${shop.handle}/returns` : '/returns'}
                      size="sm"
                    >
                      {t('app.nav.returns')}
                    </Anchor>
                  </li>
                  <li>
                    <Anchor component={Link} to="/#track" size="sm">
                      {t('app.nav.track')}
                    </Anchor>
                  </li>
                  <li>
                    <Anchor component={Link} to="/console" size="sm">
                      {t('app.nav.staff')}
                    </Anchor>
                  </li>
                </Group>
              </nav>
              <Text size="sm" c="dimmed">
                {t('app.footer.about')} {t('app.footer.privacy')}
              </Text>
            </Stack>
          )}
        </Container>
      </footer>
    </div>
  );
}
