/**
 * Streaming CSV reading: bytes → UTF-8 text → records, never holding more than one network chunk
 * plus one unfinished record. Papaparse's low-level `Parser` does the quoting rules on each chunk;
 * the unfinished tail (a record cut by the chunk boundary, maybe inside quotes) is carried over,
 * the way papaparse's own ChunkStreamer does it, but with the consumer's backpressure: nothing is
 * read from the source until the previous records were consumed.
 */
import Papa from 'papaparse';

/** One record of the file; `line` counts records from 1 (the header), as spreadsheets number rows. */
export interface CsvRecord {
  line: number;
  fields: string[];
  /** What papaparse found wrong with this record (unterminated quotes…), in pt-BR, if any. */
  error?: string;
}

/** Thrown when the source is bigger than the limit; the records before it were already yielded. */
export class InputTooLargeError extends Error {
  readonly maxBytes: number;
  constructor(maxBytes: number) {
    super(`o arquivo tem mais de ${maxBytes} bytes`);
    this.maxBytes = maxBytes;
  }
}

/**
 * Decodes UTF-8 across chunk boundaries. Invalid bytes become U+FFFD, which the row checks report
 * with their line and column (a fatal decoder would only say "somewhere"); the BOM is dropped.
 */
export async function* decodeUtf8(
  chunks: AsyncIterable<Uint8Array>,
  maxBytes = Number.POSITIVE_INFINITY,
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new InputTooLargeError(maxBytes);
    const text = decoder.decode(chunk, { stream: true });
    if (text !== '') yield text;
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}

/** The chunks of a web ReadableStream (its async iterator is not in the DOM typings we build with). */
export async function* streamChunks(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stops the upload when the consumer gives up early (too large, header refused).
    await reader.cancel().catch(() => {});
  }
}

const PARSE_ERRORS: Readonly<Record<Papa.ParseError['code'], string>> = {
  MissingQuotes: 'há aspas abertas que não foram fechadas',
  InvalidQuotes: 'há aspas fora do lugar em um valor entre aspas',
  TooFewFields: 'faltam campos',
  TooManyFields: 'sobram campos',
  UndetectableDelimiter: 'não foi possível identificar o separador',
};

function quotedAware(line: string): string {
  return line.replace(/"[^"]*"/g, '');
}

/** Picks the delimiter of the header line: Brazilian Excel writes ';', others ',' or a tab. */
export function sniffDelimiter(headerLine: string): ',' | ';' | '\t' {
  const bare = quotedAware(headerLine);
  const counts = ([',', ';', '\t'] as const).map((d) => [d, bare.split(d).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ',';
}

/**
 * Splits decoded text into records with line numbers; blank lines are skipped but counted.
 * `info.delimiter` is set once the header line has been read.
 */
export async function* csvRecords(
  text: AsyncIterable<string>,
  info: { delimiter?: string } = {},
): AsyncGenerator<CsvRecord> {
  let carry = '';
  let config: { delimiter: string; newline: '\n' | '\r\n' | '\r' } | undefined;
  let line = 0;
  function* take(input: string, final: boolean): Generator<CsvRecord> {
    if (!config) return;
    const result = new Papa.Parser(config).parse(input, 0, !final) as Papa.ParseResult<string[]>;
    const errorsByRow = new Map<number, string>();
    for (const error of result.errors)
      if (error.row !== undefined && !errorsByRow.has(error.row))
        errorsByRow.set(error.row, PARSE_ERRORS[error.code] ?? error.message);
    carry = final ? '' : input.slice(result.meta.cursor);
    for (const [i, fields] of result.data.entries()) {
      line += 1;
      if (fields.length === 1 && fields[0] === '') continue;
      const error = errorsByRow.get(i);
      yield error === undefined ? { line, fields } : { line, fields, error };
    }
  }
  for await (const chunk of text) {
    carry += chunk;
    if (!config) {
      const end = carry.search(/\r\n|\n|\r/);
      // A '\r' at the end of what we have may be the first half of '\r\n': wait for more.
      if (end < 0 || end === carry.length - 1) continue;
      const newline = carry.startsWith('\r\n', end) ? '\r\n' : carry[end] === '\r' ? '\r' : '\n';
      config = { delimiter: sniffDelimiter(carry.slice(0, end)), newline };
      info.delimiter = config.delimiter;
    }
    yield* take(carry, false);
  }
  config ??= { delimiter: sniffDelimiter(carry), newline: '\n' };
  info.delimiter = config.delimiter;
  if (carry !== '') yield* take(carry, true);
}
