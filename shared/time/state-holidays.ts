/**
 * State holidays of all 27 federative units, each from the law that makes it one (Lei federal
 * 9.093/1995, art. 1º, II lets each state fix its "data magna"; religious days of guard and other
 * dates come from state laws and state constitutions). A state's contact windows and business
 * days skip these (shared/cadence/contact-guard.ts, shared/time/business-days.ts).
 *
 * Each entry carries its `source`: the law (or, where the law's number could not be confirmed
 * from a primary text, the official calendar decree that lists the day as a state holiday).
 * Days that exist only as "ponto facultativo" (Carnaval outside RJ, Corpus Christi, Dia do
 * Servidor) and municipal holidays are not here; an organisation adds its city's in `extra`.
 *
 * Some laws move the day off (`observed`):
 * - 'next-sunday' (SC): the data magna is celebrated on the Sunday after 11 August when it falls on
 *   a weekday; the weekday itself is an ordinary working day.
 * - 'tue-to-mon-thu-to-fri' (AL, Lei 7.530/2013, Dia do Evangélico): a Tuesday moves to the Monday
 *   before, a Thursday to the Friday after.
 * - 'also-friday-if-midweek' (AC, Lei 2.126/2009): the state moves the celebration of a holiday on
 *   Tuesday–Thursday to that week's Friday, by yearly decree and not for every holiday; both days
 *   count here, so no message goes out on either (the safe side of SP Lei 15.426/2014-style rules).
 *
 * Dates checked against the laws and the 2024–2026 official calendars (December 2026). Known
 * changes: TO's 18 March (Autonomia) stopped being a holiday (Lei TO 2.013/2009); AP's 25 July
 * (São Tiago, Lei AP 1.696/2012) was struck down by the STF in 2018; CE's 19 March (São José) is
 * a municipal holiday in Fortaleza and other cities, a ponto facultativo for the state; SC's bill
 * for 25 November (Santa Catarina de Alexandria, 2026) is not included until it is law.
 */
import type { UF } from '../identity/uf';

/** How a state law moves the day off; see the module comment. */
export type ObservedRule = 'next-sunday' | 'tue-to-mon-thu-to-fri' | 'also-friday-if-midweek';

/** One state holiday rule. */
export interface StateHoliday {
  name: string;
  /** A fixed day, 'MM-DD'. */
  monthDay?: string;
  /** Days from Easter Sunday, for a holiday that moves with it. */
  easterOffset?: number;
  /** First and last year it applies (the law's start, a repeal). */
  since?: number;
  until?: number;
  observed?: ObservedRule;
  /** The law (or official calendar) that makes it a holiday. */
  source: string;
}

const AC_SHIFT = 'also-friday-if-midweek' as const;

// prettier-ignore
export const STATE_HOLIDAYS: Readonly<Record<UF, readonly StateHoliday[]>> = {
  AC: [
    { monthDay: '01-20', name: 'Dia do Católico', observed: AC_SHIFT, source: 'Lei AC 3.137/2016' },
    { monthDay: '01-23', name: 'Dia do Evangélico', observed: AC_SHIFT, source: 'Lei AC 1.538/2004' },
    { monthDay: '03-08', name: 'Dia Internacional da Mulher', observed: AC_SHIFT, source: 'Lei AC 1.411/2001' },
    { monthDay: '06-15', name: 'Aniversário do Estado do Acre', source: 'Lei AC 14/1964' },
    { monthDay: '08-06', name: 'Início da Revolução Acreana', source: 'calendário oficial do Acre (feriado estadual nos decretos de 2024)' },
    { monthDay: '09-05', name: 'Dia da Amazônia', observed: AC_SHIFT, source: 'Lei AC 243/1968' },
    { monthDay: '11-17', name: 'Assinatura do Tratado de Petrópolis', observed: AC_SHIFT, source: 'Lei AC 57/1965' },
  ],
  AL: [
    { monthDay: '06-24', name: 'São João', source: 'Decreto AL 106.093/2025 (calendário estadual de 2026)' },
    { monthDay: '06-29', name: 'São Pedro', source: 'Decreto AL 106.093/2025 (calendário estadual de 2026)' },
    { monthDay: '09-16', name: 'Emancipação Política de Alagoas', source: 'data magna; Decreto AL 106.093/2025' },
    { monthDay: '11-30', name: 'Dia do Evangélico', observed: 'tue-to-mon-thu-to-fri', source: 'Lei AL 7.530/2013' },
  ],
  AM: [
    { monthDay: '09-05', name: 'Elevação do Amazonas à categoria de Província', source: 'data magna do Amazonas (Lei federal 9.093/1995, art. 1º, II)' },
  ],
  AP: [
    { monthDay: '03-19', name: 'Dia de São José, padroeiro do Amapá', source: 'calendário oficial do Amapá (feriado estadual, 2024–2026)' },
    { monthDay: '09-13', name: 'Criação do Território Federal do Amapá', source: 'Constituição do Estado do Amapá, art. 355' },
  ],
  BA: [
    { monthDay: '07-02', name: 'Independência da Bahia', source: 'Constituição do Estado da Bahia, art. 6º (data magna)' },
  ],
  CE: [
    { monthDay: '03-25', name: 'Data Magna do Ceará (abolição da escravidão)', since: 2012, source: 'lei estadual do Ceará de 6/12/2011 (data magna)' },
  ],
  DF: [
    { monthDay: '04-21', name: 'Fundação de Brasília', source: 'Decreto DF 45.425/2024 (feriado local, junto com Tiradentes)' },
    { monthDay: '11-30', name: 'Dia do Evangélico', source: 'Lei distrital 963/1995' },
  ],
  ES: [
    { easterOffset: 8, name: 'Nossa Senhora da Penha, padroeira do Espírito Santo', since: 2019, source: 'Lei ES 11.010/2019 (data magna, segunda-feira oito dias após a Páscoa)' },
  ],
  GO: [
    { monthDay: '07-26', name: 'Fundação da Cidade de Goiás', source: 'Lei GO 20.756/2020, art. 269' },
  ],
  // Maranhão's data magna.
  MA: [
    { monthDay: '07-28', name: 'Adesão do Maranhão à Independência do Brasil', source: 'data magna do Maranhão (Lei federal 9.093/1995, art. 1º, II)' },
  ],
  // Minas Gerais' data magna is 21 April, already national (Tiradentes).
  MG: [],
  MS: [
    { monthDay: '10-11', name: 'Criação do Estado de Mato Grosso do Sul', source: 'data magna de MS (Lei Complementar federal 31/1977 criou o estado em 11/10/1977)' },
  ],
  // Mato Grosso's state holiday was 20 November (Lei MT 7.879/2002), national since 2024.
  MT: [],
  PA: [
    { monthDay: '08-15', name: 'Adesão do Pará à Independência do Brasil', source: 'data magna do Pará (Lei federal 9.093/1995, art. 1º, II)' },
  ],
  PB: [
    { monthDay: '08-05', name: 'Fundação do Estado da Paraíba', source: 'Lei PB 10.601/2015 (data magna; antes Lei PB 3.489/1967)' },
  ],
  PE: [
    { monthDay: '03-06', name: 'Revolução Pernambucana de 1817 (Data Magna)', since: 2018, source: 'Lei PE 16.059/2017' },
  ],
  PI: [
    { monthDay: '10-19', name: 'Dia do Piauí', source: 'data magna do Piauí (Lei federal 9.093/1995, art. 1º, II)' },
  ],
  PR: [
    { monthDay: '12-19', name: 'Emancipação Política do Paraná', source: 'data magna do Paraná (Lei federal 9.093/1995, art. 1º, II)' },
  ],
  RJ: [
    { easterOffset: -47, name: 'Carnaval (terça-feira, feriado estadual)', source: 'Lei RJ 5.243/2008' },
    { monthDay: '04-23', name: 'Dia de São Jorge', source: 'Lei RJ 5.198/2008' },
  ],
  RN: [
    { monthDay: '10-03', name: 'Mártires de Cunhaú e Uruaçu', source: 'Lei RN 8.913/2006' },
  ],
  RO: [
    { monthDay: '01-04', name: 'Instalação do Estado de Rondônia', source: 'Decreto RO 29.900/2024 (calendário estadual de 2025)' },
    { monthDay: '06-18', name: 'Dia do Evangélico', source: 'Lei RO 1.026/2001' },
  ],
  RR: [
    { monthDay: '10-05', name: 'Criação do Estado de Roraima', source: 'data magna de Roraima (ADCT da Constituição de 1988, art. 14)' },
  ],
  RS: [
    { monthDay: '09-20', name: 'Revolução Farroupilha', source: 'Lei RS 4.850/1964' },
  ],
  SC: [
    { monthDay: '08-11', name: 'Data Magna de Santa Catarina', observed: 'next-sunday', source: 'lei estadual de SC (data magna; comemorada no domingo seguinte, calendário estadual)' },
  ],
  SE: [
    { monthDay: '07-08', name: 'Emancipação Política de Sergipe', source: 'data magna de Sergipe (Lei federal 9.093/1995, art. 1º, II)' },
  ],
  SP: [
    { monthDay: '07-09', name: 'Revolução Constitucionalista de 1932', source: 'Lei SP 9.497/1997' },
  ],
  TO: [
    { monthDay: '08-15', name: 'Dia do Senhor do Bonfim', since: 2025, source: 'Lei TO 4.509/2024' },
    { monthDay: '09-08', name: 'Nossa Senhora da Natividade, padroeira do Tocantins', source: 'calendário oficial do Tocantins (feriado estadual, 2025–2026)' },
    { monthDay: '10-05', name: 'Criação do Estado do Tocantins', source: 'data magna do Tocantins (ADCT da Constituição de 1988, art. 13)' },
  ],
};
