/**
 * A debt (título): one amount owed by one debtor, with the contract terms the charge calculator
 * reads. The terms' fields come from `DebtTermsSchema` (shared/charges), so a stored debt can be
 * passed straight to `balanceOn`.
 */
import * as v from 'valibot';
import { DebtTermsSchema } from '../charges/charges.schema';
import { CalendarDateSchema } from '../time/calendar-date.schema';
import { entity, InstantSchema, note, positiveCents, text, VersionSchema } from './common.schema';
import { IdSchema } from './id';

export const DebtStatuses = ['open', 'settled', 'cancelled'] as const;
export const DebtStatusSchema = v.picklist(
  DebtStatuses,
  'a situação deve ser open, settled ou cancelled',
);
export type DebtStatus = v.InferOutput<typeof DebtStatusSchema>;

const terms = DebtTermsSchema.pipe[0].entries;

const editable = {
  ...terms,
  principal: positiveCents('o valor original'),
  debtorId: IdSchema,
  /** The business's own reference (invoice or contract number) for imports and reconciliation. */
  externalId: v.optional(text('o código externo', 64)),
  description: text('a descrição', 200),
};

/** The debt as stored and returned. */
export const DebtSchema = v.pipe(
  entity({
    id: IdSchema,
    ...editable,
    status: DebtStatusSchema,
    /** The day the last payment closed it (status settled). */
    settledOn: v.optional(CalendarDateSchema),
    cancelReason: v.optional(note('o motivo do cancelamento', 500)),
    version: VersionSchema,
    createdAt: InstantSchema,
  }),
  v.forward(
    v.check(
      (d) => d.issueDate <= d.dueDate,
      'o vencimento não pode ser anterior à emissão (issueDate)',
    ),
    ['dueDate'],
  ),
  v.forward(
    v.check(
      (d) => (d.status === 'settled') === (d.settledOn !== undefined),
      'a data de quitação deve ser informada quando, e somente quando, a dívida está quitada (settled)',
    ),
    ['settledOn'],
  ),
);
export type Debt = v.InferOutput<typeof DebtSchema>;

/** The body of a request creating a debt; it starts open. */
export const NewDebtSchema = v.pipe(
  entity({ id: v.optional(IdSchema), ...editable }),
  v.forward(
    v.check(
      (d) => d.issueDate <= d.dueDate,
      'o vencimento não pode ser anterior à emissão (issueDate)',
    ),
    ['dueDate'],
  ),
);
export type NewDebt = v.InferOutput<typeof NewDebtSchema>;
