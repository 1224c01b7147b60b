import { type CSSVariablesResolver, createTheme } from '@mantine/core';

// Contrast (WCAG AA, 4.5:1 for text): Mantine's default primary shade 6 and its "dimmed" grey are
// below that on white, so the theme uses darker shades for anything that carries text.
export const theme = createTheme({
  primaryColor: 'brand',
  primaryShade: 7,
  colors: {
    brand: [
      '#e8f1fb',
      '#cfe0f5',
      '#a3c5ec',
      '#74a7e2',
      '#4c8dd9',
      '#2f7bd3',
      '#1f6cc4',
      '#1c5fa8',
      '#154b86',
      '#0e3762',
    ],
  },
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif',
  headings: { fontWeight: '700' },
  defaultRadius: 'md',
  focusRing: 'auto',
});

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': '#495057' },
  dark: {},
});
