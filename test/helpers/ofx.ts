/**
 * Bank statement files for tests, written the way Brazilian banks write them: OFX 1.02 SGML with
 * unclosed tags in Windows-1252 (BB, Itaú, Bradesco), or OFX 2 XML in UTF-8.
 */
export interface OfxLine {
  fitid: string;
  /** YYYY-MM-DD */
  date: string;
  /** Centavos; negative for money out. */
  amount: number;
  memo?: string;
  name?: string;
}

export interface OfxOptions {
  /** 'sgml-1252' (default) or 'xml-utf8'. */
  style?: 'sgml-1252' | 'xml-utf8';
  bankId?: string;
  accountId?: string;
  /** Write amounts with a comma, as some banks do. */
  commaDecimals?: boolean;
}

function amountText(cents: number, comma: boolean): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const text = `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return comma ? text.replace('.', ',') : text;
}

/** An OFX statement of `lines` as the bytes a bank's download gives. */
export function ofxFile(
  lines: readonly OfxLine[],
  options: OfxOptions = {},
): Uint8Array<ArrayBuffer> {
  const style = options.style ?? 'sgml-1252';
  const days = lines.map((l) => l.date.replaceAll('-', '')).sort();
  const start = days[0] ?? '20250101';
  const end = days.at(-1) ?? '20250101';
  const sgml = style === 'sgml-1252';
  const close = (tag: string) => (sgml ? '' : `</${tag}>`);
  const trn = lines
    .map((l) =>
      [
        '<STMTTRN>',
        `<TRNTYPE>${l.amount < 0 ? 'DEBIT' : 'CREDIT'}${close('TRNTYPE')}`,
        `<DTPOSTED>${l.date.replaceAll('-', '')}120000[-03:EST]${close('DTPOSTED')}`,
        `<TRNAMT>${amountText(l.amount, options.commaDecimals === true)}${close('TRNAMT')}`,
        `<FITID>${l.fitid}${close('FITID')}`,
        ...(l.name ? [`<NAME>${l.name}${close('NAME')}`] : []),
        ...(l.memo ? [`<MEMO>${l.memo}${close('MEMO')}`] : []),
        '</STMTTRN>',
      ].join('\n'),
    )
    .join('\n');
  const body = [
    '<OFX>',
    '<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0' +
      close('CODE') +
      '<SEVERITY>INFO' +
      close('SEVERITY') +
      '</STATUS>',
    `<DTSERVER>${end}120000[-03:EST]${close('DTSERVER')}<LANGUAGE>POR${close('LANGUAGE')}</SONRS></SIGNONMSGSRSV1>`,
    '<BANKMSGSRSV1><STMTTRNRS><TRNUID>1' + close('TRNUID'),
    '<STATUS><CODE>0' + close('CODE') + '<SEVERITY>INFO' + close('SEVERITY') + '</STATUS>',
    '<STMTRS><CURDEF>BRL' + close('CURDEF'),
    `<BANKACCTFROM><BANKID>${options.bankId ?? '0341'}${close('BANKID')}<BRANCHID>1234${close('BRANCHID')}<ACCTID>${options.accountId ?? '56789-0'}${close('ACCTID')}<ACCTTYPE>CHECKING${close('ACCTTYPE')}</BANKACCTFROM>`,
    `<BANKTRANLIST><DTSTART>${start}${close('DTSTART')}<DTEND>${end}${close('DTEND')}`,
    trn,
    '</BANKTRANLIST>',
    `<LEDGERBAL><BALAMT>0.00${close('BALAMT')}<DTASOF>${end}${close('DTASOF')}</LEDGERBAL>`,
    '</STMTRS></STMTTRNRS></BANKMSGSRSV1>',
    '</OFX>',
  ].join('\n');
  if (sgml) {
    const header = [
      'OFXHEADER:100',
      'DATA:OFXSGML',
      'VERSION:102',
      'SECURITY:NONE',
      'ENCODING:USASCII',
      'CHARSET:1252',
      'COMPRESSION:NONE',
      'OLDFILEUID:NONE',
      'NEWFILEUID:NONE',
      '',
      '',
    ].join('\r\n');
    // Windows-1252 and Latin-1 agree on every accented Portuguese letter.
    return new Uint8Array(Buffer.from(header + body.replaceAll('\n', '\r\n'), 'latin1'));
  }
  const xml = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<?OFX OFXHEADER="200" VERSION="211" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>\n${body}`;
  return new TextEncoder().encode(xml);
}
