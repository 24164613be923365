import { buildPixPayload, parsePixPayload } from '#shared/pix/pix-payload';
import { tryParseMoney } from '#shared/money/money';
import { parseCommandArgs, printJson, usageError, EXIT_OK, type Command } from '../command';

function kebab(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `quita pix`: build (or check) a static PIX BR Code from the shell. */
export const pixCommand: Command = {
  name: 'pix',
  summary: 'build or check a static PIX BR Code (copia e cola)',
  help: `Usage: quita pix --key KEY --name NAME --city CITY [--amount 10,00] [--txid ID] [--description TEXT] [--postal-code CEP] [--truncate] [--json]
       quita pix --parse PAYLOAD

Prints the BR Code payload (one line) or, with --json, {payload, crc}. KEY is an e-mail, CPF, CNPJ,
+55 phone or random (EVP) key. NAME is at most 25 and CITY at most 15 characters after removing
accents (use --truncate to cut them instead of failing). AMOUNT accepts 1234.56 or 1.234,56.
--parse checks a payload (CRC, lengths, required fields) and prints its fields as JSON.
Exit codes: 0 ok, 2 invalid input (the reason is printed on stderr).
`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      key: { type: 'string' },
      name: { type: 'string' },
      city: { type: 'string' },
      amount: { type: 'string' },
      txid: { type: 'string' },
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
    if (values.amount !== undefined) {
      const money = tryParseMoney(values.amount);
      if (!money.ok) throw usageError(`--amount: ${money.message}`);
      amount = money.value;
    }
    const built = buildPixPayload({
      key: values.key as string,
      name: values.name as string,
      city: values.city as string,
      ...(amount !== undefined ? { amount } : {}),
      ...(values.txid !== undefined ? { txid: values.txid } : {}),
      ...(values.description !== undefined ? { description: values.description } : {}),
      ...(values['postal-code'] !== undefined ? { postalCode: values['postal-code'] } : {}),
      ...(values.truncate ? { truncate: true } : {}),
    });
    if (!built.ok) throw usageError(`--${kebab(built.field)}: ${built.message}`);
    if (values.json) printJson(io, { payload: built.value, crc: built.value.slice(-4) });
    else io.stdout(`${built.value}\n`);
    return EXIT_OK;
  },
};
