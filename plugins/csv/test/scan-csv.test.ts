import { CsvError, parse } from 'csv-parse/sync'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CsvSyntaxError, scanCsv } from '../src/scan-csv.js'

type Outcome = { records: Array<{ values: string[]; line: number }> } | { error: string; line: number }

/** What the scanner reads: every record (blank ones too) with its line, or the error. */
function scanned(text: string, delimiter: string): Outcome {
  const records: Array<{ values: string[]; line: number }> = []
  try {
    scanCsv(text, delimiter, (record) => {
      records.push({
        values: Array.from({ length: record.count }, (_, i) => record.value(i) as string),
        line: record.line,
      })
    })
    return { records }
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error
    return { error: error.code, line: error.line }
  }
}

/** What csv-parse reads with the options the csv source used before the scanner replaced it. */
function csvParsed(text: string, delimiter: string): Outcome {
  const records: Array<{ values: string[]; line: number }> = []
  try {
    parse(text, {
      delimiter,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      on_record: (values: string[], context) => {
        records.push({ values, line: context.lines })
        return values
      },
    })
    return { records }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error
    return { error: error.code, line: Number((error as CsvError & { lines: number }).lines) }
  }
}

const ATOMS = [
  'a',
  'Ann',
  'ann@corp.example',
  ' ',
  '\t',
  '"',
  '""',
  ',',
  ';',
  '\n',
  '\r\n',
  '\r',
  'é',
  '\u00a0',
  '\u3000',
  '\u0000',
  '\u0007',
  '\ufeff',
  '😀',
]

describe('scanCsv', () => {
  it('reads every text exactly as csv-parse did (values, lines, errors)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...ATOMS), { maxLength: 30 }).map((parts) => parts.join('')),
        fc.constantFrom(',', ';', '\t', '|'),
        (text, delimiter) => {
          expect(scanned(text, delimiter)).toEqual(csvParsed(text, delimiter))
        },
      ),
      { numRuns: 5000 },
    )
  })

  it('reads quoted values: doubled quotes, delimiters and line ends inside, spaces around', () => {
    expect(scanned('a,b\r\n "x, ""y""" ,"p\r\nq"\r\n', ',')).toEqual({
      records: [
        { values: ['a', 'b'], line: 1 },
        // A CRLF inside quotes counts two lines, as csv-parse counted them.
        { values: ['x, "y"', 'p\r\nq'], line: 4 },
      ],
    })
  })

  it('names the line of a structural error', () => {
    expect(scanned('a\nb "c"\n', ',')).toEqual({ error: 'INVALID_OPENING_QUOTE', line: 2 })
    expect(scanned('a\n\n"b"c\n', ',')).toEqual({ error: 'CSV_INVALID_CLOSING_QUOTE', line: 3 })
    expect(scanned('"a" x\n', ',')).toEqual({ error: 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE', line: 1 })
    // The line count at the end of the text (the source names the line where the record starts instead).
    expect(scanned('a\n"b\n', ',')).toEqual({ error: 'CSV_QUOTE_NOT_CLOSED', line: 2 })
  })
})
