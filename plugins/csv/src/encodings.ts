import { createRequire } from 'node:module'
import type IconvLite from 'iconv-lite'

/** Whether the encoding name is UTF-8 (read without iconv-lite). */
export function isUtf8Name(encoding: string): boolean {
  return ['utf8', 'utf-8', 'utf_8'].includes(encoding.toLowerCase())
}

let loaded: typeof IconvLite | undefined

/** iconv-lite, loaded on first use: a UTF-8 file (the usual case) never pays its start-up (~15 ms). */
export function iconv(): typeof IconvLite {
  loaded ??= createRequire(import.meta.url)('iconv-lite') as typeof IconvLite
  return loaded
}
