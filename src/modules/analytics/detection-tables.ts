/** Tables of the early-warning part (snake_case in SQL, camelCase here). */
// biome-ignore lint/complexity/noBannedTypes: filled in as the tables are added
export type DetectionTables = {};
