import { describe, expect, test } from 'vitest';
import { UFS, type UF } from '../identity/uf';
import { calendarDate } from './calendar-date';
import { holidayName, stateHolidays } from './holidays';
import { STATE_HOLIDAYS } from './state-holidays';

describe('STATE_HOLIDAYS', () => {
  test('covers all 27 federative units', () => {
    expect(Object.keys(STATE_HOLIDAYS).sort()).toEqual([...UFS].sort());
  });

  test('every rule names its source and exactly one way to find the day', () => {
    for (const [uf, rules] of Object.entries(STATE_HOLIDAYS))
      for (const rule of rules) {
        expect(rule.source.length, `${uf} ${rule.name}`).toBeGreaterThan(5);
        expect((rule.monthDay === undefined) !== (rule.easterOffset === undefined)).toBe(true);
      }
  });
});

describe('state holidays by date (the days the contact windows and business days skip)', () => {
  test.each<{ uf: UF; date: string; name: string | undefined }>([
    // The ten units whose dates were missing.
    { uf: 'DF', date: '2025-11-30', name: 'Dia do Evangélico' },
    { uf: 'DF', date: '2025-04-21', name: 'Tiradentes' },
    { uf: 'SC', date: '2022-08-11', name: undefined },
    {
      uf: 'SC',
      date: '2022-08-14',
      name: 'Data Magna de Santa Catarina (comemoração transferida)',
    },
    { uf: 'SC', date: '2024-08-11', name: 'Data Magna de Santa Catarina' },
    { uf: 'ES', date: '2023-04-17', name: 'Nossa Senhora da Penha, padroeira do Espírito Santo' },
    { uf: 'ES', date: '2025-04-28', name: 'Nossa Senhora da Penha, padroeira do Espírito Santo' },
    { uf: 'ES', date: '2018-04-09', name: undefined },
    { uf: 'PB', date: '2025-08-05', name: 'Fundação do Estado da Paraíba' },
    { uf: 'AC', date: '2025-06-15', name: 'Aniversário do Estado do Acre' },
    { uf: 'AC', date: '2023-03-08', name: 'Dia Internacional da Mulher' },
    { uf: 'AC', date: '2023-03-10', name: 'Dia Internacional da Mulher (comemoração transferida)' },
    { uf: 'AC', date: '2023-09-08', name: 'Dia da Amazônia (comemoração transferida)' },
    { uf: 'AC', date: '2024-11-17', name: 'Assinatura do Tratado de Petrópolis' },
    { uf: 'AC', date: '2025-01-23', name: 'Dia do Evangélico' },
    { uf: 'AC', date: '2025-01-24', name: 'Dia do Evangélico (comemoração transferida)' },
    { uf: 'AP', date: '2024-03-19', name: 'Dia de São José, padroeiro do Amapá' },
    { uf: 'AP', date: '2025-09-13', name: 'Criação do Território Federal do Amapá' },
    { uf: 'AP', date: '2025-07-25', name: undefined },
    { uf: 'RO', date: '2025-01-04', name: 'Instalação do Estado de Rondônia' },
    { uf: 'RO', date: '2025-06-18', name: 'Dia do Evangélico' },
    { uf: 'GO', date: '2021-07-26', name: 'Fundação da Cidade de Goiás' },
    { uf: 'TO', date: '2025-08-15', name: 'Dia do Senhor do Bonfim' },
    { uf: 'TO', date: '2024-08-15', name: undefined },
    { uf: 'TO', date: '2025-09-08', name: 'Nossa Senhora da Natividade, padroeira do Tocantins' },
    { uf: 'TO', date: '2026-10-05', name: 'Criação do Estado do Tocantins' },
    { uf: 'TO', date: '2026-03-18', name: undefined },
    { uf: 'AL', date: '2025-06-24', name: 'São João' },
    { uf: 'AL', date: '2025-06-30', name: undefined },
    { uf: 'AL', date: '2025-06-29', name: 'São Pedro' },
    { uf: 'AL', date: '2026-09-16', name: 'Emancipação Política de Alagoas' },
    { uf: 'AL', date: '2023-11-30', name: undefined },
    { uf: 'AL', date: '2023-12-01', name: 'Dia do Evangélico (comemoração transferida)' },
    { uf: 'AL', date: '2027-11-29', name: 'Dia do Evangélico (comemoração transferida)' },
    { uf: 'AL', date: '2026-11-30', name: 'Dia do Evangélico' },
    // The others.
    { uf: 'RJ', date: '2025-03-04', name: 'Carnaval (terça-feira)' },
    { uf: 'CE', date: '2026-03-25', name: 'Data Magna do Ceará (abolição da escravidão)' },
    { uf: 'CE', date: '2026-03-19', name: undefined },
    { uf: 'PE', date: '2024-03-06', name: 'Revolução Pernambucana de 1817 (Data Magna)' },
    { uf: 'PE', date: '2017-03-06', name: undefined },
    { uf: 'MG', date: '2025-09-20', name: undefined },
  ])('$uf $date → $name', ({ uf, date, name }) => {
    expect(holidayName(calendarDate(date), { state: uf })).toBe(name);
  });

  test("RJ's Carnaval Tuesday is a state holiday even when the federal optional days are off", () => {
    expect(holidayName(calendarDate('2025-03-04'), { state: 'RJ', includeOptional: false })).toBe(
      'Carnaval (terça-feira, feriado estadual)',
    );
    expect(holidayName(calendarDate('2025-03-04'), { state: 'SP', includeOptional: false })).toBe(
      undefined,
    );
  });

  test('every unit but MG and MT has at least one state holiday every year from 2025 to 2030', () => {
    for (const uf of UFS)
      for (let year = 2025; year <= 2030; year++)
        expect(stateHolidays(year, uf).length > 0, `${uf} ${year}`).toBe(
          uf !== 'MG' && uf !== 'MT',
        );
  });
});
