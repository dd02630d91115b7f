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
  new CsvScanner(text, delimiter, onRecord).scan()
}

/** Result of a step of {@link CsvScanner}: how many characters after the current one it consumed too. */
type Consumed = number
/** The step did not take the character: it is a character of the value. */
const NOT_TAKEN = -1

/** The scanner's state over one text: the position's quoting state, the line end, the current field. */
class CsvScanner {
  private readonly length: number
  private readonly d0: number
  private readonly dLength: number
  private readonly record: CsvRecord
  private lineEnd = LineEnd.Unknown
  private lines = 1
  private wasLineBreak = false
  private quoting = false
  private wasQuoting = false
  private escaping = false
  // The current field: `appended` characters so far, the last contiguous piece [start, end) of the text,
  // and what came before it when the field is not contiguous (a doubled quote).
  private appended = 0
  private start = 0
  private end = 0
  private before = ''

  constructor(
    private readonly text: string,
    private readonly delimiter: string,
    private readonly onRecord: (record: CsvRecord) => void,
  ) {
    this.length = text.length
    this.d0 = delimiter.charCodeAt(0)
    this.dLength = delimiter.length
    this.record = new CsvRecord(text)
  }

  scan(): void {
    const { text, length } = this
    for (let pos = 0; pos < length; pos++) {
      if (this.wasLineBreak) {
        this.lines++
        this.wasLineBreak = false
      }
      if (!this.quoting && this.lineEnd === LineEnd.Unknown) this.discover(pos)
      const c = text.charCodeAt(pos)
      if (c === CR || c === LF) this.wasLineBreak = true
      let consumed: Consumed = NOT_TAKEN
      if (this.escaping) this.escaping = false
      else if (c === QUOTE) consumed = this.quote(pos)
      else if (!this.quoting) consumed = this.separator(pos)
      if (consumed === NOT_TAKEN) this.character(pos, c)
      else pos += consumed
    }
    if (this.quoting) throw new CsvSyntaxError('CSV_QUOTE_NOT_CLOSED', this.lines)
    if (this.wasQuoting || this.record.count !== 0 || this.appended !== 0) this.endRecord()
  }

  /** csv-parse discovers the line end on the first CR or LF outside quotes (or right after a closing quote). */
  private discover(at: number): number {
    const c = this.text.charCodeAt(at)
    if (c === CR) {
      if (this.text.charCodeAt(at + 1) === LF) {
        this.lineEnd = LineEnd.CrLf
        return 2
      }
      this.lineEnd = LineEnd.Cr
      return 1
    }
    if (c === LF) {
      this.lineEnd = LineEnd.Lf
      return 1
    }
    return 0
  }

  /** Length of the line end at `at`, 0 when there is none. */
  private lineEndAt(at: number): number {
    const c = this.text.charCodeAt(at)
    switch (this.lineEnd) {
      case LineEnd.Lf:
        return c === LF ? 1 : 0
      case LineEnd.CrLf:
        return c === CR && this.text.charCodeAt(at + 1) === LF ? 2 : 0
      case LineEnd.Cr:
        return c === CR ? 1 : 0
      default:
        return 0
    }
  }

  private delimiterAt(at: number): boolean {
    return this.text.charCodeAt(at) === this.d0 && (this.dLength === 1 || this.text.startsWith(this.delimiter, at))
  }

  /** A quote: opens a quoted value, closes one, or (doubled inside quotes) stands for itself. */
  private quote(pos: number): Consumed {
    const { text, length } = this
    if (!this.quoting) {
      if (this.appended !== 0) throw new CsvSyntaxError('INVALID_OPENING_QUOTE', this.lines)
      this.quoting = true
      return 0
    }
    if (pos + 1 < length && text.charCodeAt(pos + 1) === QUOTE) {
      // A doubled quote: the next one is a character of the value.
      this.escaping = true
      return 0
    }
    // What may follow a closing quote (all evaluated, as csv-parse does: it may discover the line end).
    const next = pos + 1 < length ? text.charCodeAt(pos + 1) : 0
    const nextIsDelimiter = this.delimiterAt(pos + 1)
    const nextIsLineEnd = (this.lineEnd === LineEnd.Unknown ? this.discover(pos + 1) : this.lineEndAt(pos + 1)) !== 0
    if (next === 0 || nextIsDelimiter || nextIsLineEnd || isTrimmable(next)) {
      this.quoting = false
      this.wasQuoting = true
      return 0
    }
    throw new CsvSyntaxError('CSV_INVALID_CLOSING_QUOTE', this.lines)
  }

  /** Outside quotes: a line end (the record ends, or an empty line is skipped) or a delimiter (the field ends). */
  private separator(pos: number): Consumed {
    const endLength = this.lineEndAt(pos)
    if (endLength !== 0) {
      const emptyLine = !this.wasQuoting && this.record.count === 0 && this.appended === 0
      if (!emptyLine) this.endRecord()
      return endLength - 1
    }
    if (this.delimiterAt(pos)) {
      this.endField()
      return this.dLength - 1
    }
    return NOT_TAKEN
  }

  /** A character of the value; spaces before a value and after a closing quote are dropped. */
  private character(pos: number, c: number): void {
    if (!this.quoting && this.appended === 0 && isTrimmable(c)) return
    if (this.wasQuoting) {
      // After a closing quote only spaces may come; csv-parse reads UTF-8 bytes here, so a non-ASCII space
      // fails on its second byte.
      if (!isTrimmable(c) || c >= 0x80)
        throw new CsvSyntaxError('CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE', this.lines)
      return
    }
    if (this.appended === 0) {
      this.start = pos
      this.end = pos + 1
    } else if (this.end === pos) this.end++
    else {
      this.before += this.text.slice(this.start, this.end)
      this.start = pos
      this.end = pos + 1
    }
    this.appended++
    if (isControl(c)) this.record.maybeControl = true
  }

  private endField(): void {
    const { record, start, text } = this
    if (this.appended === 0)
      record.push(this.wasQuoting ? FieldKind.Quoted : FieldKind.Trimmed, start, start, undefined)
    else if (this.before !== '') {
      const value = this.before + text.slice(start, this.end)
      record.push(FieldKind.Built, 0, 0, this.wasQuoting ? value : value.trimEnd())
    } else if (this.wasQuoting) record.push(FieldKind.Quoted, start, this.end, undefined)
    else {
      let end = this.end
      while (end > start && isTrimmable(text.charCodeAt(end - 1))) end--
      record.push(FieldKind.Trimmed, start, end, undefined)
    }
    this.appended = 0
    this.before = ''
    this.wasQuoting = false
  }

  private endRecord(): void {
    this.endField()
    this.record.line = this.lines
    this.onRecord(this.record)
    this.record.reset()
  }
}
