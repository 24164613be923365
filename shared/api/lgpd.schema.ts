/**
 * Messages of the LGPD routes (issue 13 §5): the data-subject report by CPF/CNPJ and the
 * anonymisation of debtors whose retention period has passed.
 */
import * as v from 'valibot';
import { entity } from '../domain/common.schema';
import { IdSchema } from '../domain/id';
import { DocumentSchema } from '../identity/document';

/** `GET /api/lgpd/report?document=…`: a CPF or CNPJ in any usual writing. */
export const SubjectReportQuerySchema = entity({ document: DocumentSchema });

/** `POST /api/lgpd/anonymisation`: the debtors to anonymise (each must be eligible). */
export const AnonymiseRequestSchema = entity({
  debtorIds: v.pipe(
    v.array(IdSchema, 'os devedores devem ser uma lista'),
    v.nonEmpty('informe pelo menos um devedor'),
    v.maxLength(500, 'no máximo 500 devedores de uma vez'),
  ),
});
