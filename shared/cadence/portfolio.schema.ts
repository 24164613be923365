/**
 * A portfolio as a JSON file, for planning the régua without a database (`quita cadence plan`):
 * each debtor's contact profile with its debts and the facts that pause, stop or limit the
 * cadence. Instants (`history[].at`) may be ISO 8601 strings or epoch milliseconds; dates are
 * 'YYYY-MM-DD'. Lists that are empty may be left out.
 *
 * ```json
 * { "debtors": [ {
 *     "id": "c-001", "name": "Maria Silva", "state": "SP",
 *     "doNotContact": {}, "preferredChannel": "whatsapp",
 *     "debts": [ { "id": "d-001", "dueDate": "2025-03-05", "status": "open", "balance": 15325 } ],
 *     "history": [ { "at": "2025-03-06T13:00:00Z", "channel": "whatsapp", "direction": "outbound",
 *                    "automated": true, "stepId": "d+1", "debtId": "d-001" } ],
 *     "promises": [], "agreements": [], "disputes": [], "notices": []
 * } ], "holidays": { "extra": [ { "date": "01-25", "name": "Aniversário de São Paulo" } ] } }
 * ```
 */
import * as v from 'valibot';
import { HolidayCalendarSchema } from '../time/holidays';
import {
  AgreementStateSchema,
  CadenceDebtSchema,
  ContactLogEntrySchema,
  DebtorContactProfileSchema,
  DisputeStateSchema,
  PaymentPromiseSchema,
  WrittenNoticeSchema,
} from './cadence.schema';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An instant as epoch milliseconds or an ISO 8601 text with a zone; output epoch ms. */
export const PortfolioInstantSchema = v.union(
  [
    v.pipe(v.number(), v.safeInteger()),
    v.pipe(
      v.string(),
      v.regex(ISO_INSTANT, 'o instante deve estar em ISO 8601 com fuso, como 2025-03-06T13:00:00Z'),
      v.transform((s) => Date.parse(s)),
      v.check((ms) => !Number.isNaN(ms), 'o instante não existe'),
    ),
  ],
  'o instante deve ser em milissegundos desde 1970 ou em ISO 8601, como 2025-03-06T13:00:00Z',
);

const list = <S extends v.GenericSchema>(item: S) => v.optional(v.array(item), () => []);

/** One debtor of the portfolio: the contact profile plus its facts. */
export const PortfolioDebtorSchema = v.object({
  ...DebtorContactProfileSchema.entries,
  doNotContact: v.optional(DebtorContactProfileSchema.entries.doNotContact, () => ({})),
  /** For people reading the output; the planner does not use it. */
  name: v.exactOptional(v.string()),
  debts: v.pipe(
    v.array(CadenceDebtSchema),
    v.minLength(1, 'o devedor precisa de pelo menos uma dívida'),
  ),
  history: list(v.object({ ...ContactLogEntrySchema.entries, at: PortfolioInstantSchema })),
  promises: list(PaymentPromiseSchema),
  agreements: list(AgreementStateSchema),
  disputes: list(DisputeStateSchema),
  notices: list(WrittenNoticeSchema),
});
export type PortfolioDebtor = v.InferOutput<typeof PortfolioDebtorSchema>;

export const PortfolioSchema = v.pipe(
  v.object({
    debtors: v.array(PortfolioDebtorSchema),
    holidays: v.exactOptional(HolidayCalendarSchema),
  }),
  v.check(
    (p) => new Set(p.debtors.map((d) => d.id)).size === p.debtors.length,
    'os identificadores dos devedores (debtors[].id) devem ser únicos',
  ),
);
export type PortfolioInput = v.InferInput<typeof PortfolioSchema>;
export type Portfolio = v.InferOutput<typeof PortfolioSchema>;
