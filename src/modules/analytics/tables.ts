/** Tables of the analytics-rollup part (snake_case in SQL, camelCase here). */
// biome-ignore lint/complexity/noBannedTypes: filled in as the tables are added
export type AnalyticsTables = {};
