import path from 'node:path'

const CANDIDATES = [',', ';', '\t']

/**
 * Chooses the field delimiter of a CSV file.
 *
 * - An explicit `delimiter` from `connector-csv.yml` is always used as written.
 * - Otherwise UST's guess applies: `,` for a `.csv` file, TAB for any other extension (`.tsv`, `.txt`).
 * - Then the header line is checked: when the guessed delimiter leaves it as a single column but `,`, `;`
 *   or TAB would split it, the one giving the most columns is used instead. This covers the common export
 *   from a spreadsheet in a European locale (`;` in a `.csv`) and a comma file named `.txt`, which UST
 *   would read as one column and then report "no email column".
 */
export function chooseDelimiter(filePath: string, headerLine: string, explicit?: string): string {
  if (explicit !== undefined) return explicit
  const guessed = path.extname(filePath).toLowerCase() === '.csv' ? ',' : '\t'
  if (columnCount(headerLine, guessed) > 1) return guessed
  let best = guessed
  for (const candidate of CANDIDATES) {
    if (columnCount(headerLine, candidate) > columnCount(headerLine, best)) best = candidate
  }
  return best
}

/** Columns the header would have with this delimiter (quotes ignored: header names rarely hold delimiters). */
function columnCount(headerLine: string, delimiter: string): number {
  return headerLine.split(delimiter).filter((name) => name.trim() !== '').length
}
