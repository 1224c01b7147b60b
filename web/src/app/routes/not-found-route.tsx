import { MessagePanel } from '../../components/message-panel.tsx';
import { useI18n } from '../../lib/i18n/i18n-provider.tsx';
import { useDocumentTitle } from '../../lib/use-document-title.ts';

/** Any path the app does not know. */
export function NotFoundRoute() {
  const { t } = useI18n();
  useDocumentTitle(t('notFound.title'), t('app.shopName'));
  return (
    <MessagePanel
      title={t('notFound.title')}
      body={t('notFound.body')}
      action={{ label: t('notFound.home'), to: '/' }}
    />
  );
}
