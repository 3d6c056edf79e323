/** One record of a CSV file: its fields and the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A CSV syntax error on a line. */
export class CsvSyntaxError extends Error {
  override readonly name = "CsvSyntaxError";
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * Splits CSV text into records (RFC 4180): fields separated by `delimiter`, records by CRLF, LF or a lone
 * CR; a field in double quotes may hold the delimiter, line breaks and `""` for a quote. A quote inside an
 * unquoted field is kept as text (as spreadsheet programs do). Throws {@link CsvSyntaxError} for a quoted
 * field that is never closed or is followed by anything but a delimiter or a line break.
 */
export function parseCsvRecords(text: string, delimiter: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  let offset = 0;
  let fields: string[] = [];
  let recordLine = 1;

  const endRecord = () => {
    records.push({ line: recordLine, fields });
    fields = [];
  };
  const atLineBreak = (at: number) => text[at] === "\n" || text[at] === "\r";
  const skipLineBreak = () => {
    offset += text[offset] === "\r" && text[offset + 1] === "\n" ? 2 : 1;
    line++;
  };

  if (text.length === 0) return records;
  for (;;) {
    if (fields.length === 0) recordLine = line;
    if (text[offset] === '"') {
      const quoteLine = line;
      offset++;
      let value = "";
      for (;;) {
        const next = text.indexOf('"', offset);
        if (next === -1) throw new CsvSyntaxError("a quoted field is never closed", quoteLine);
        value += text.slice(offset, next);
        line += countLineBreaks(text, offset, next);
        if (text[next + 1] === '"') {
          value += '"';
          offset = next + 2;
          continue;
        }
        offset = next + 1;
        break;
      }
      fields.push(value);
      if (offset < text.length && text[offset] !== delimiter && !atLineBreak(offset)) {
        throw new CsvSyntaxError(
          `unexpected ${JSON.stringify(text[offset])} after a closing quote; double a quote inside a quoted field ("")`,
          line,
        );
      }
    } else {
      const delimiterCode = delimiter.charCodeAt(0);
      let end = offset;
      for (; end < text.length; end++) {
        const code = text.charCodeAt(end);
        if (code === delimiterCode || code === 0x0a || code === 0x0d) break;
      }
      fields.push(text.slice(offset, end));
      offset = end;
    }
    if (offset >= text.length) {
      endRecord();
      return records;
    }
    if (text[offset] === delimiter) {
      offset++;
      continue;
    }
    skipLineBreak();
    endRecord();
    // A final line break ends the last record; it does not start an empty one.
    if (offset >= text.length) return records;
  }
}

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let index = from; index < to; index++) {
    const character = text[index];
    if (character === "\n" || (character === "\r" && text[index + 1] !== "\n")) count++;
  }
  return count;
}
