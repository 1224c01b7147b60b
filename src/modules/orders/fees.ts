/** The itemised fees a purchasing agent charges on top of the goods. */
export const FEE_KINDS = [
  'domestic_shipping',
  'service_fee',
  'international_shipping',
  'insurance',
  'payment_fee',
] as const;
export type FeeKind = (typeof FEE_KINDS)[number];
