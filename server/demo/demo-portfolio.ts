/**
 * A deterministic, realistic Brazilian portfolio as import CSV, generated in TypeScript so
 * `quita demo` works from an installed copy (the reference generator,
 * ../shared/tools/make-portfolio.py, lives beside the repository only). Same shapes as that
 * tool: 12% companies, valid CPFs/CNPJs, DDDs that match the city, 1–4 debts per debtor, due
 * dates from 180 days overdue to 30 days ahead of `today`, so every stage of the régua is present.
 */
import { addDays, type CalendarDate } from '#shared/time/calendar-date';

const FIRST =
  'Maria Ana Francisca Antônia Adriana Juliana Márcia Fernanda Patrícia Aline Sandra Camila Amanda Bruna Jéssica Letícia Júlia Luciana José João Antônio Francisco Carlos Paulo Pedro Lucas Luiz Marcos Gabriel Rafael Daniel Marcelo Bruno Eduardo Felipe Raimundo Rodrigo Manoel Mateus André Fernando Fábio Leonardo Gustavo'.split(
    ' ',
  );
const LAST =
  'Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro Martins Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa Rocha Dias Nascimento Andrade Moreira Nunes Marques Machado Mendes Freitas Cardoso Ramos Gonçalves Santana Teixeira Araújo'.split(
    ' ',
  );
const STREETS =
  'Rua das Flores|Avenida Brasil|Rua São João|Rua XV de Novembro|Avenida Getúlio Vargas|Rua Sete de Setembro|Rua Dom Pedro II|Avenida Paulista|Rua Tiradentes|Rua Santos Dumont|Avenida Rio Branco|Rua Marechal Deodoro|Travessa do Comércio|Alameda Santos'.split(
    '|',
  );
const CITIES: readonly (readonly [string, string, string])[] = [
  ['São Paulo', 'SP', '11'],
  ['Campinas', 'SP', '19'],
  ['Santos', 'SP', '13'],
  ['Rio de Janeiro', 'RJ', '21'],
  ['Niterói', 'RJ', '21'],
  ['Belo Horizonte', 'MG', '31'],
  ['Salvador', 'BA', '71'],
  ['Recife', 'PE', '81'],
  ['Fortaleza', 'CE', '85'],
  ['Curitiba', 'PR', '41'],
  ['Porto Alegre', 'RS', '51'],
  ['Goiânia', 'GO', '62'],
  ['Manaus', 'AM', '92'],
  ['Belém', 'PA', '91'],
  ['Cuiabá', 'MT', '65'],
  ['Teresina', 'PI', '86'],
];
const DESCRIPTIONS = [
  'Mensalidade',
  'Parcela do crediário',
  'Serviço de manutenção',
  'Compra a prazo',
  'Plano anual',
  'Conserto',
];

/** mulberry32: a tiny seeded PRNG, so the same seed always gives the same portfolio. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function checkDigit(digits: readonly number[], weights: readonly number[], cpf: boolean): number {
  const sum = digits.reduce((acc, d, i) => acc + d * (weights[i] ?? 0), 0);
  if (cpf) {
    const x = (sum * 10) % 11;
    return x === 10 ? 0 : x;
  }
  const r = sum % 11;
  return r < 2 ? 0 : 11 - r;
}

function cpf(int: (n: number) => number): string {
  const d = Array.from({ length: 9 }, () => int(10));
  if (new Set(d).size === 1) d[0] = ((d[0] ?? 0) + 1) % 10;
  d.push(checkDigit(d, [10, 9, 8, 7, 6, 5, 4, 3, 2], true));
  d.push(checkDigit(d, [11, 10, 9, 8, 7, 6, 5, 4, 3, 2], true));
  const s = d.join('');
  return `${s.slice(0, 3)}.${s.slice(3, 6)}.${s.slice(6, 9)}-${s.slice(9)}`;
}

function cnpj(int: (n: number) => number): string {
  const d = [...Array.from({ length: 8 }, () => int(10)), 0, 0, 0, 1];
  d.push(checkDigit(d, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2], false));
  d.push(checkDigit(d, [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2], false));
  const s = d.join('');
  return `${s.slice(0, 2)}.${s.slice(2, 5)}.${s.slice(5, 8)}/${s.slice(8, 12)}-${s.slice(12)}`;
}

function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

function quote(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export const DEMO_PREFIX = 'DEMO-';

/** The demo's collectors (the owner's app offers each a sign-in QR code). */
export const DEMO_COLLECTORS = [
  { email: 'cobrador1@quita.demo', name: 'Carlos Cobrador' },
  { email: 'cobrador2@quita.demo', name: 'Fernanda Campo' },
  { email: 'cobrador3@quita.demo', name: 'Rafael Rota' },
] as const;
export const DEMO_COLLECTOR_EMAILS: readonly string[] = DEMO_COLLECTORS.map((c) => c.email);

/** CSV lines (header first) of `count` demo debtors with debts due around `today`. */
export function* demoPortfolioCsv(count: number, today: CalendarDate, seed = 7): Generator<string> {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  yield 'external_id,name,document,email,phone,address,city,state,debt_id,description,amount,due_date\n';
  let debt = 0;
  for (let i = 1; i <= count; i += 1) {
    const company = random() < 0.12;
    const [city, uf, ddd] = pick(CITIES);
    const name = company
      ? `${pick(LAST)} & ${pick(LAST)} Comércio Ltda`
      : `${pick(FIRST)} ${pick(LAST)} ${pick(LAST)}`;
    const document = company ? cnpj(int) : cpf(int);
    const words = name.split(' ');
    const email = `${ascii(words[0] ?? 'x')}.${ascii(words.at(-1) ?? 'x')}${i}@example.com`;
    const phone =
      random() < 0.85
        ? `(${ddd}) 9${6000 + int(4000)}-${String(int(10_000)).padStart(4, '0')}`
        : `(${ddd}) ${2000 + int(4000)}-${String(int(10_000)).padStart(4, '0')}`;
    const address = `${pick(STREETS)}, ${1 + int(3999)}`;
    const debts = pick([1, 1, 1, 2, 2, 3, 4]);
    for (let k = 0; k < debts; k += 1) {
      debt += 1;
      // Log-normal-ish amounts between R$ 15 and R$ 20.000, like real small-business tickets.
      const amount = Math.min(
        2_000_000,
        Math.max(
          1500,
          Math.round(Math.exp(5.3 + 0.9 * (random() + random() + random() - 1.5) * 2) * 100),
        ),
      );
      const due = addDays(today, int(211) - 180);
      const fields = [
        `${DEMO_PREFIX}C${String(i).padStart(5, '0')}`,
        name,
        document,
        email,
        phone,
        address,
        city,
        uf,
        `${DEMO_PREFIX}T${String(debt).padStart(6, '0')}`,
        pick(DESCRIPTIONS),
        (amount / 100).toFixed(2),
        due,
      ];
      yield `${fields.map(quote).join(',')}\n`;
    }
  }
}
