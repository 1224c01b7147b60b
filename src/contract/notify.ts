/** The events a webhook endpoint may subscribe to. */
export { WEBHOOK_EVENTS } from '../modules/notify/notify-rules.ts';

/** A template's languages, the fields a tenant may rewrite, and the placeholders it may use. */
export {
  LOCALES as TEMPLATE_LOCALES,
  type Locale as TemplateLocale,
  OPTIONAL_VARS,
  REQUIRED_VARS,
  TEMPLATE_FIELDS,
  type TemplateField,
} from '../modules/notify/template-vocabulary.ts';
