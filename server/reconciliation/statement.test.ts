import { describe, expect, test } from 'vitest';
import { ofxFile } from '#test/helpers/ofx';
import { amountToCents, parseStatement, StatementError } from './statement';

const latin1 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('parseStatement: OFX', () => {
  test('OFX 1.02 SGML in Windows-1252, unclosed tags, accents read right', () => {
    const bytes = ofxFile([
      { fitid: 'A1', date: '2025-03-10', amount: 12_417, memo: 'PIX RECEBIDO JOSÉ DA CONCEIÇÃO' },
      { fitid: 'A2', date: '2025-03-11', amount: -1_000, memo: 'TARIFA' },
    ]);
    expect(bytes.includes(0xc9)).toBe(true); // "É" as one Windows-1252 byte
    const s = parseStatement(bytes);
    expect(s).toMatchObject({
      format: 'ofx',
      accountKeys: ['banco:0341:1234:56789-0'],
      periodStart: '2025-03-10',
      periodEnd: '2025-03-11',
    });
    expect(s.lines).toEqual([
      {
        fitid: 'A1',
        accountKey: 'banco:0341:1234:56789-0',
        postedOn: '2025-03-10',
        amount: 12_417,
        name: null,
        memo: 'PIX RECEBIDO JOSÉ DA CONCEIÇÃO',
      },
      {
        fitid: 'A2',
        accountKey: 'banco:0341:1234:56789-0',
        postedOn: '2025-03-11',
        amount: -1_000,
        name: null,
        memo: 'TARIFA',
      },
    ]);
  });

  test('OFX 2 XML in UTF-8, amounts with a comma, a NAME', () => {
    const s = parseStatement(
      ofxFile(
        [{ fitid: 'X', date: '2025-03-10', amount: 123_456, name: 'Ana Lúcia', memo: 'PIX' }],
        { style: 'xml-utf8', commaDecimals: true },
      ),
    );
    expect(s.lines[0]).toMatchObject({ amount: 123_456, name: 'Ana Lúcia', memo: 'PIX' });
  });

  const sgml = (stmttrn: string, extra = '') =>
    latin1(
      `OFXHEADER:100\r\nDATA:OFXSGML\r\nCHARSET:1252\r\n\r\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>BRL${extra}<BANKACCTFROM><BANKID>1<ACCTID>2</BANKACCTFROM><BANKTRANLIST>${stmttrn}</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>`,
    );

  test.each([
    { label: 'an empty file', bytes: new Uint8Array(), message: 'o arquivo está vazio' },
    {
      label: 'a spreadsheet that is not a statement',
      bytes: utf8('nome;valor\nAna;10,00\n'),
      message: /não é um extrato reconhecido/,
    },
    {
      label: 'an unclosed aggregate',
      bytes: latin1('OFXHEADER:100\r\n\r\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS>'),
      message: /malformado: a marcação <STMTRS> não foi fechada/,
    },
    {
      label: 'a transaction without FITID',
      bytes: sgml('<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20250310<TRNAMT>10.00</STMTTRN>'),
      message: /a transação nº 1 não tem identificador \(FITID\)/,
    },
    {
      label: 'a transaction without amount',
      bytes: sgml('<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20250310<FITID>F1</STMTTRN>'),
      message: 'a transação nº 1 (FITID F1) não tem valor (TRNAMT)',
    },
    {
      label: 'an amount that is not one',
      bytes: sgml('<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20250310<TRNAMT>dez<FITID>F1</STMTTRN>'),
      message: 'a transação nº 1 (FITID F1) tem valor inválido: "dez"',
    },
    {
      label: 'an impossible date',
      bytes: sgml('<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20250231<TRNAMT>1.00<FITID>F1</STMTTRN>'),
      message: 'a transação nº 1 (FITID F1) tem data inválida: "20250231"',
    },
    {
      label: 'another currency',
      bytes: latin1(
        'OFXHEADER:100\r\n\r\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD<BANKTRANLIST></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>',
      ),
      message: 'o extrato está em USD; só extratos em reais (BRL) são aceitos',
    },
    {
      label: 'no account statement',
      bytes: latin1('OFXHEADER:100\r\n\r\n<OFX><SIGNONMSGSRSV1></SIGNONMSGSRSV1></OFX>'),
      message: /não traz extrato de conta/,
    },
  ])('$label is refused in pt-BR', ({ bytes, message }) => {
    let thrown: unknown;
    try {
      parseStatement(bytes);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StatementError);
    expect((thrown as Error).message).toMatch(message);
  });
});

describe('parseStatement: CSV layouts', () => {
  test('Nubank (conta): the identifier is the FITID', () => {
    const s = parseStatement(
      utf8(
        'Data,Valor,Identificador,Descrição\n10/03/2025,124.17,6f7a1b2c-0000-4000-8000-000000000001,Transferência recebida pelo Pix - MARIA DA SILVA - •••.456.789-•• - BCO DO BRASIL\n11/03/2025,-37.79,6f7a1b2c-0000-4000-8000-000000000002,Compra no débito\n',
      ),
    );
    expect(s.format).toBe('csv-nubank');
    expect(s.lines.map((l) => [l.fitid.slice(-1), l.postedOn, l.amount])).toEqual([
      ['1', '2025-03-10', 12_417],
      ['2', '2025-03-11', -3_779],
    ]);
  });

  test('Banco Inter: header lines, ";", comma decimals, FITID derived from the line with its balance', () => {
    const file = latin1(
      'Extrato Conta Corrente\r\nConta ;12345678\r\nPeríodo ;01/03/2025 a 31/03/2025\r\n\r\nData Lançamento;Histórico;Descrição;Valor;Saldo\r\n10/03/2025;Pix recebido;"JOSÉ DA SILVA";1.234,56;1.234,56\r\n10/03/2025;Pix recebido;"JOSÉ DA SILVA";1.234,56;2.469,12\r\n',
    );
    const s = parseStatement(file);
    expect(s.format).toBe('csv-inter');
    expect(s.accountKeys).toEqual(['inter:12345678']);
    expect(s.lines.map((l) => [l.amount, l.memo])).toEqual([
      [123_456, 'Pix recebido JOSÉ DA SILVA'],
      [123_456, 'Pix recebido JOSÉ DA SILVA'],
    ]);
    // Two equal credits the same day stay two (their balances differ); the same file gives the same ids.
    expect(s.lines[0]?.fitid).not.toBe(s.lines[1]?.fitid);
    expect(parseStatement(file).lines.map((l) => l.fitid)).toEqual(s.lines.map((l) => l.fitid));
  });

  test('a CSV line with a bad amount names the line', () => {
    expect(() =>
      parseStatement(utf8('Data,Valor,Identificador,Descrição\n10/03/2025,abc,x,y\n')),
    ).toThrow('linha 2: valor inválido "abc"');
  });
});

describe('amountToCents', () => {
  test.each([
    ['124.17', 12_417],
    ['-10,00', -1_000],
    ['1.234,56', 123_456],
    ['1,234.56', 123_456],
    ['+5', 500],
    ['0.5', 50],
    ['R$ 12,30', 1_230],
    ['1.234', null],
    ['12.345', null],
    ['abc', null],
    ['1.2.3', null],
  ])('%s → %s', (text, cents) => {
    expect(amountToCents(text)).toBe(cents);
  });
});
