import { IdSchema } from '#shared/domain/id';
import { buildPixPayload, parsePixPayload } from '#shared/pix/pix-payload';
import { txidForDebt, txidForDebtor, txidForInstallment } from '#shared/pix/pix-txid';
import { tryParseMoney } from '#shared/money/money';
import * as v from 'valibot';
import { parseCommandArgs, printJson, usageError, EXIT_OK, type Command } from '../command';

function kebab(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function id(flag: string, text: string): string {
  const parsed = v.safeParse(IdSchema, text);
  if (!parsed.success) throw usageError(`--${flag}: o identificador deve ser um UUID`);
  return parsed.output;
}

/**
 * The reference label: derived from what the code pays (so the bank statement can be matched), or
 * typed with --txid. Exactly one source; a code without a txid ("***") is never printed.
 */
function txidOf(values: {
  debt?: string;
  debtor?: string;
  installment?: string;
  txid?: string;
}): string {
  const given = (['debt', 'debtor', 'installment', 'txid'] as const).filter(
    (f) => values[f] !== undefined,
  );
  if (given.length === 0)
    throw usageError(
      'informe --debt, --debtor, --installment ou --txid: um código sem txid não pode ser conciliado no extrato',
    );
  if (given.length > 1)
    throw usageError(`use só uma destas opções: ${given.map((f) => `--${f}`).join(', ')}`);
  if (values.debt !== undefined) return txidForDebt(id('debt', values.debt));
  if (values.debtor !== undefined) return txidForDebtor(id('debtor', values.debtor));
  if (values.installment !== undefined) {
    const match = /^(.+):(\d{1,3})$/.exec(values.installment);
    if (!match)
      throw usageError(
        '--installment: use ACORDO:N, o id do acordo e o número da parcela (0 = entrada)',
      );
    return txidForInstallment(id('installment', match[1] ?? ''), Number(match[2]));
  }
  const typed = values.txid ?? '';
  if (typed === '***')
    throw usageError('--txid: "***" (sem txid) não pode ser conciliado; informe um identificador');
  return typed;
}

/** `quita pix`: build (or check) a static PIX BR Code from the shell. */
export const pixCommand: Command = {
  name: 'pix',
  summary: 'build or check a static PIX BR Code (copia e cola)',
  help: `Usage: quita pix --key KEY --name NAME --city CITY (--amount 10,00 | --open-amount)
                (--debt ID | --debtor ID | --installment AGREEMENT:N | --txid ID)
                [--description TEXT] [--postal-code CEP] [--truncate] [--json]
       quita pix --parse PAYLOAD

Prints the BR Code payload (one line) or, with --json, {payload, crc, txid}. KEY is an e-mail, CPF,
CNPJ, +55 phone or random (EVP) key. NAME is at most 25 and CITY at most 15 characters after
removing accents (use --truncate to cut them instead of failing).

AMOUNT accepts 1234.56 or 1.234,56 and must be above zero. --open-amount leaves the amount out
(whoever pays types it); one of the two is required, so a code without an amount is never made
by accident.

The txid (reference label) names what the code pays, so the credit on the bank statement can be
matched: --debt ID (a debt), --debtor ID (everything a debtor owes), --installment AGREEMENT:N
(installment N of an agreement, 0 = down payment), each derived exactly as the server and the
phone derive it, or --txid with 1–25 letters and digits typed by hand.
--parse checks a payload (CRC, lengths, required fields) and prints its fields as JSON.
Exit codes: 0 ok, 2 invalid input (the reason is printed on stderr).
`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      key: { type: 'string' },
      name: { type: 'string' },
      city: { type: 'string' },
      amount: { type: 'string' },
      'open-amount': { type: 'boolean' },
      txid: { type: 'string' },
      debt: { type: 'string' },
      debtor: { type: 'string' },
      installment: { type: 'string' },
      description: { type: 'string' },
      'postal-code': { type: 'string' },
      truncate: { type: 'boolean' },
      json: { type: 'boolean' },
      parse: { type: 'string' },
    });
    if (values.help) {
      io.stdout(this.help);
      return EXIT_OK;
    }
    if (values.parse !== undefined) {
      const parsed = parsePixPayload(values.parse);
      if (!parsed.ok) throw usageError(`${parsed.field}: ${parsed.message}`);
      const { fields: _fields, ...summary } = parsed.value;
      printJson(io, summary);
      return EXIT_OK;
    }
    for (const flag of ['key', 'name', 'city'] as const)
      if (values[flag] === undefined) throw usageError(`falta --${flag}`);
    let amount;
    if (values.amount !== undefined && values['open-amount'])
      throw usageError('use --amount ou --open-amount, não os dois');
    if (values.amount !== undefined) {
      const money = tryParseMoney(values.amount);
      if (!money.ok) throw usageError(`--amount: ${money.message}`);
      if (money.value <= 0)
        throw usageError(
          '--amount: o valor deve ser maior que zero; para deixar o valor em aberto (quem paga digita), use --open-amount',
        );
      amount = money.value;
    } else if (!values['open-amount'])
      throw usageError(
        'falta --amount (ou --open-amount para deixar o valor em aberto, e quem paga digita)',
      );
    const txid = txidOf(values);
    const built = buildPixPayload({
      key: values.key as string,
      name: values.name as string,
      city: values.city as string,
      ...(amount !== undefined ? { amount } : {}),
      txid,
      ...(values.description !== undefined ? { description: values.description } : {}),
      ...(values['postal-code'] !== undefined ? { postalCode: values['postal-code'] } : {}),
      ...(values.truncate ? { truncate: true } : {}),
    });
    if (!built.ok) throw usageError(`--${kebab(built.field)}: ${built.message}`);
    if (values.json) printJson(io, { payload: built.value, crc: built.value.slice(-4), txid });
    else io.stdout(`${built.value}\n`);
    return EXIT_OK;
  },
};
