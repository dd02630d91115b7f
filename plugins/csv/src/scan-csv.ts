/**
 * A strict CSV scanner (RFC 4180 quoting: `"…"`, doubled quotes, line breaks inside quotes; LF, CRLF or
 * CR line ends) that hands each record to a callback as it is read, without building rows, objects or
 * copies of the cells nobody asks for.
 *
 * It reads exactly as the csv-parse options UST's csv source used (`trim`, `skip_empty_lines`,
 * `relax_column_count`, default quote and escape `"`), including their edge cases, so that values, line
 * numbers and errors stay what they were: spaces (JavaScript's `trim` set) around a value are dropped,
 * quoted or not; the line end is the first one met outside quotes; a line counts at every CR or LF, as
 * csv-parse counts them (a CRLF inside quotes counts two); the only errors are the csv-parse codes below.
 */

const QUOTE = 0x22
const CR = 0x0d
const LF = 0x0a

/** Line ends, discovered from the first one met outside quotes (csv-parse's order: CRLF, LF, CR). */
enum LineEnd {
  Unknown = 0,
  CrLf = 1,
  Lf = 2,
  Cr = 3,
}

/** The characters `String.prototype.trim` removes (csv-parse's `trim` uses the same set). */
export function isTrimmable(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d)
  if (c < 0xa0) return false
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  )
}

/** C0 control characters but TAB, and DEL (what the csv source refuses in a value). */
function isControl(c: number): boolean {
  return (c < 0x20 && c !== 0x09) || c === 0x7f
}

/** A structural error, with csv-parse's code and the line (csv-parse's count) where it was found. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly code:
      | 'CSV_QUOTE_NOT_CLOSED'
      | 'CSV_INVALID_CLOSING_QUOTE'
      | 'INVALID_OPENING_QUOTE'
      | 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE',
    readonly line: number,
  ) {
    super(`${code} at line ${line}`)
  }
}

/** How a field of the current record is held: a range of the text, or a string when it is not one piece. */
enum FieldKind {
  /** `text.slice(start, end)`, already trimmed (an unquoted value). */
  Trimmed = 0,
  /** `text.slice(start, end)`, as written between quotes. */
  Quoted = 1,
  /** `strings[i]` (quotes were doubled, or the value was not contiguous). */
  Built = 2,
}

/**
 * The record being handed to the callback: valid only during the call (it is reused for the next one).
 * Values are cut from the text only when asked for.
 */
export class CsvRecord {
  /** Number of fields in the record. */
  count = 0
  /** Line (csv-parse's count) the record ends on. */
  line = 0
  /** True when a field may hold a control character (it then has to be checked). */
  maybeControl = false
  private starts = new Int32Array(16)
  private ends = new Int32Array(16)
  private kinds = new Uint8Array(16)
  private strings: Array<string | undefined> = []

  constructor(private readonly text: string) {}

  /** Field `i` (trimmed when it was not quoted, as csv-parse gives it); undefined past the last field. */
  value(i: number): string | undefined {
    if (i >= this.count) return undefined
    if (this.kinds[i] === FieldKind.Built) return this.strings[i]
    return this.text.slice(this.starts[i], this.ends[i])
  }

  /** Whether every field is blank once trimmed (csv-parse's `skip_records_with_empty_values` test). */
  isBlank(): boolean {
    for (let i = 0; i < this.count; i++) {
      const kind = this.kinds[i]
      if (kind === FieldKind.Trimmed) {
        if (this.ends[i] !== this.starts[i]) return false
      } else if (kind === FieldKind.Quoted) {
        for (let p = this.starts[i] as number; p < (this.ends[i] as number); p++)
          if (!isTrimmable(this.text.charCodeAt(p))) return false
      } else if ((this.strings[i] as string).trim() !== '') return false
    }
    return true
  }

  /** @internal */
  push(kind: FieldKind, start: number, end: number, built: string | undefined): void {
    const i = this.count++
    if (i === this.starts.length) this.grow()
    this.kinds[i] = kind
    this.starts[i] = start
    this.ends[i] = end
    if (kind === FieldKind.Built) this.strings[i] = built
  }

  /** @internal */
  reset(): void {
    this.count = 0
    this.maybeControl = false
  }

  private grow(): void {
    const size = this.starts.length * 2
    const starts = new Int32Array(size)
    starts.set(this.starts)
    const ends = new Int32Array(size)
    ends.set(this.ends)
    const kinds = new Uint8Array(size)
    kinds.set(this.kinds)
    this.starts = starts
    this.ends = ends
    this.kinds = kinds
  }
}

/**
 * Scans `text` (the decoded file) with a one-character (or longer) `delimiter`, calling `onRecord` for
 * each record, header included, in order. Empty lines are skipped; records of blank values are not (the
 * caller decides, see {@link CsvRecord.isBlank}). Throws a {@link CsvSyntaxError} at the first structural
 * problem, after the records before it were handed over.
 */
export function scanCsv(text: string, delimiter: string, onRecord: (record: CsvRecord) => void): void {
  const length = text.length
  const d0 = delimiter.charCodeAt(0)
  const dLength = delimiter.length
  const record = new CsvRecord(text)
  let lineEnd = LineEnd.Unknown
  let lines = 1
  let wasLineBreak = false
  let quoting = false
  let wasQuoting = false
  let escaping = false
  // The current field: `appended` characters so far, the last contiguous piece [start, end) of the text,
  // and what came before it when the field is not contiguous (a doubled quote).
  let appended = 0
  let start = 0
  let end = 0
  let before = ''

  /** csv-parse discovers the line end on the first CR or LF outside quotes (or right after a closing quote). */
  const discover = (at: number): number => {
    const c = text.charCodeAt(at)
    if (c === CR) {
      if (text.charCodeAt(at + 1) === LF) {
        lineEnd = LineEnd.CrLf
        return 2
      }
      lineEnd = LineEnd.Cr
      return 1
    }
    if (c === LF) {
      lineEnd = LineEnd.Lf
      return 1
    }
    return 0
  }
  /** Length of the line end at `at`, 0 when there is none. */
  const lineEndAt = (at: number): number => {
    const c = text.charCodeAt(at)
    switch (lineEnd) {
      case LineEnd.Lf:
        return c === LF ? 1 : 0
      case LineEnd.CrLf:
        return c === CR && text.charCodeAt(at + 1) === LF ? 2 : 0
      case LineEnd.Cr:
        return c === CR ? 1 : 0
      default:
        return 0
    }
  }
  const delimiterAt = (at: number): boolean =>
    text.charCodeAt(at) === d0 && (dLength === 1 || text.startsWith(delimiter, at))
  const endField = (): void => {
    if (appended === 0) record.push(wasQuoting ? FieldKind.Quoted : FieldKind.Trimmed, start, start, undefined)
    else if (before !== '') {
      const value = before + text.slice(start, end)
      record.push(FieldKind.Built, 0, 0, wasQuoting ? value : value.trimEnd())
    } else if (wasQuoting) record.push(FieldKind.Quoted, start, end, undefined)
    else {
      while (end > start && isTrimmable(text.charCodeAt(end - 1))) end--
      record.push(FieldKind.Trimmed, start, end, undefined)
    }
    appended = 0
    before = ''
    wasQuoting = false
  }

  for (let pos = 0; pos < length; pos++) {
    if (wasLineBreak) {
      lines++
      wasLineBreak = false
    }
    if (!quoting && lineEnd === LineEnd.Unknown) discover(pos)
    const c = text.charCodeAt(pos)
    if (c === CR || c === LF) wasLineBreak = true
    if (escaping) escaping = false
    else {
      if (c === QUOTE) {
        if (quoting) {
          if (pos + 1 < length && text.charCodeAt(pos + 1) === QUOTE) {
            // A doubled quote: the next one is a character of the value.
            escaping = true
            continue
          }
          // What may follow a closing quote (all evaluated, as csv-parse does: it may discover the line end).
          const next = pos + 1 < length ? text.charCodeAt(pos + 1) : 0
          const nextIsDelimiter = delimiterAt(pos + 1)
          const nextIsLineEnd = (lineEnd === LineEnd.Unknown ? discover(pos + 1) : lineEndAt(pos + 1)) !== 0
          if (next === 0 || nextIsDelimiter || nextIsLineEnd || isTrimmable(next)) {
            quoting = false
            wasQuoting = true
            continue
          }
          throw new CsvSyntaxError('CSV_INVALID_CLOSING_QUOTE', lines)
        }
        if (appended !== 0) throw new CsvSyntaxError('INVALID_OPENING_QUOTE', lines)
        quoting = true
        continue
      }
      if (!quoting) {
        const endLength = lineEndAt(pos)
        if (endLength !== 0) {
          if (!wasQuoting && record.count === 0 && appended === 0) {
            // An empty line.
            pos += endLength - 1
            continue
          }
          endField()
          record.line = lines
          onRecord(record)
          record.reset()
          pos += endLength - 1
          continue
        }
        if (delimiterAt(pos)) {
          endField()
          pos += dLength - 1
          continue
        }
      }
    }
    // A character of the value; spaces before a value and after a closing quote are dropped.
    if (quoting || appended !== 0 || !isTrimmable(c)) {
      if (!wasQuoting) {
        if (appended === 0) {
          start = pos
          end = pos + 1
        } else if (end === pos) end++
        else {
          before += text.slice(start, end)
          start = pos
          end = pos + 1
        }
        appended++
        if (isControl(c)) record.maybeControl = true
        continue
      }
      // After a closing quote only spaces may come; csv-parse reads UTF-8 bytes here, so a non-ASCII space
      // fails on its second byte.
      if (!isTrimmable(c) || c >= 0x80) throw new CsvSyntaxError('CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE', lines)
    }
  }
  if (quoting) throw new CsvSyntaxError('CSV_QUOTE_NOT_CLOSED', lines)
  if (wasQuoting || record.count !== 0 || appended !== 0) {
    endField()
    record.line = lines
    onRecord(record)
    record.reset()
  }
}
