/**
 * A debtor's request, made on their own page, to pay on a later date than a promise allows
 * (articles 004 §2: answer a customer who asks for a new due date). A person answers it: granting
 * records a promise for that date (the régua waits until then), refusing tells the debtor why.
 * The database CHECKs (0150-debtor-portal.sql) hold the same limits as these schemas.
 */
import * as v from 'valibot';
import { entity, note, text } from '../domain/common.schema';

export const DueDateRequestStatuses = ['open', 'granted', 'refused'] as const;

/** `GET /api/portal/requests?status=` */
export const DueDateRequestListQuerySchema = v.object({
  status: v.optional(
    v.picklist(DueDateRequestStatuses, 'a situação deve ser open, granted ou refused'),
    'open',
  ),
});

/** The debtor's own words on the page's request form (`motivo`), optional. */
export const DueDateReasonSchema = note('o motivo', 500);

/** The description of a dispute typed on the page (`descricao`), optional. */
export const PortalDisputeDescriptionSchema = note('a descrição', 2000);

/** Body of `POST /api/portal/requests/:id/grant`: an optional word to the debtor. */
export const DueDateGrantSchema = entity({ note: v.optional(note('a observação', 500)) });

/** Body of `POST /api/portal/requests/:id/refuse`: the debtor reads why on their page. */
export const DueDateRefuseSchema = entity({ note: text('o motivo', 500) });
