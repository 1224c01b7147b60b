import { registerStaffCatalogues } from './i18n-provider.tsx';
import { staffEn } from './staff-en.ts';
import { staffEs } from './staff-es.ts';
import { staffZhCN } from './staff-zh-CN.ts';

// Imported by the staff routes (console, admin): their text arrives with them, in their chunk.
registerStaffCatalogues({ en: staffEn, 'zh-CN': staffZhCN, es: staffEs });
