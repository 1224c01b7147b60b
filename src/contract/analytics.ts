/** Analytics: the early-warning alert as the API sends it, and one mined complaint theme. */
export type { AlertView } from '../modules/analytics/alert-view.ts';
export type { Theme } from '../modules/analytics/themes.ts';
