import type { Kysely } from 'kysely';
import type { Static } from 'typebox';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { OrderView, PaymentView } from './schemas.ts';

export type OrderLine = OrderView['lines'][number];
export type Order = OrderView;

export type Executor = Kysely<Database>;

/** The refund engine's side of an order: recording its payment, and reading its money. */
export type OrderPayments = {
  recordCapture: (
    ex: Executor,
    p: {
      tenantId: string;
      orderId: string;
      customerId: string;
      currency: string;
      provider: string;
      paymentRef: string | null;
      capturedAmount: number;
    },
    now: Date,
  ) => Promise<void>;
  orderMoney: (
    tenantId: string,
    orderId: string,
    ex?: Executor,
  ) => Promise<Static<typeof PaymentView> | null>;
};

/** Who imported or changed an order, for its event log. */
export type OrderActor = { type: 'api' | 'staff' | 'system'; id: string | null };

/** What the orders service is built from. */
export type OrdersDeps = {
  db: Db;
  clock: Clock;
  payments: OrderPayments;
  /**
   * Called in the upsert's transaction before an existing order is changed and after the order
   * is written, so read models (the analytics sales rollups) move by the difference.
   */
  onChange?: (trx: Executor, tenantId: string, orderId: string, phase: 'before' | 'after') => Promise<void>;
  /** Whether any return was filed on the order (the returns module's answer, in the transaction). */
  hasReturns?: (ex: Executor, tenantId: string, orderId: string) => Promise<boolean>;
};
