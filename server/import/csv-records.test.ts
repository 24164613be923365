import { describe, expect, test } from 'vitest';
import { csvRecords, decodeUtf8, InputTooLargeError, sniffDelimiter } from './csv-records';

async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

async function records(text: string, size: number) {
  const out = [];
  for await (const r of csvRecords(decodeUtf8(chunksOf(new TextEncoder().encode(text), size))))
    out.push(r);
  return out;
}

describe('csvRecords over a byte stream', () => {
  const text = '\uFEFFa,b\r\n"São\r\nPaulo",2\r\n\r\nç,"x,""y"""\r\n"unterminated,3';
  // Chunks of 1–7 bytes cut multi-byte characters, quoted newlines and CRLF pairs apart.
  test.each([1, 2, 3, 5, 7, 4096])('chunks of %i bytes give the same records', async (size) => {
    expect(await records(text, size)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['São\r\nPaulo', '2'] },
      { line: 4, fields: ['ç', 'x,"y"'] },
      { line: 5, fields: ['unterminated,3'], error: 'há aspas abertas que não foram fechadas' },
    ]);
  });

  test('invalid UTF-8 becomes U+FFFD in its field, the rest of the row intact', async () => {
    const bytes = Uint8Array.from([0x61, 0x0a, 0x53, 0xe3, 0x6f, 0x0a]);
    const out = [];
    for await (const r of csvRecords(decodeUtf8(chunksOf(bytes, 2)))) out.push(r.fields);
    expect(out).toEqual([['a'], ['S\uFFFDo']]);
  });

  test('the byte limit stops reading', async () => {
    const read = async () => {
      for await (const _ of decodeUtf8(chunksOf(new Uint8Array(100), 10), 50)) void _;
    };
    await expect(read()).rejects.toBeInstanceOf(InputTooLargeError);
  });

  test.each([
    ['a,b;c', ','],
    ['a;b;c,d', ';'],
    ['"x;y",b,c', ','],
    ['a\tb', '\t'],
    ['single', ','],
  ])('delimiter of %j is %j', (header, delimiter) => {
    expect(sniffDelimiter(header)).toBe(delimiter);
  });
});
