import { createRequire } from 'node:module'

/** iconv-lite (14 modules), loaded only for an encoding TextDecoder does not know. */
let iconvLite: typeof import('iconv-lite') | undefined
const iconv = () => (iconvLite ??= createRequire(import.meta.url)('iconv-lite') as typeof import('iconv-lite'))

/** Thrown by {@link decodeText} when the encoding is unknown or the bytes are not valid in it. */
export class DecodeError extends Error {}

/** True when `encoding` names an encoding that {@link decodeText} can decode (Python-style names accepted). */
export function isKnownEncoding(encoding: string): boolean {
  return webLabel(encoding) !== undefined || iconv().encodingExists(encoding)
}

/**
 * Decodes file bytes as UST does (`bytes.decode(encoding, 'strict')`): `utf8` by default, any encoding
 * the WHATWG TextDecoder knows (`latin1`, `cp1252`, `utf-16`, `shift_jis`, ...), else one iconv-lite knows
 * (`cp437`, `macroman`, ...). Invalid UTF-8 is an error, not replaced silently.
 */
export function decodeText(bytes: Uint8Array, encoding = 'utf8'): string {
  const label = webLabel(encoding)
  if (label !== undefined) {
    try {
      return new TextDecoder(label, { fatal: true }).decode(bytes)
    } catch {
      throw new DecodeError(`the file is not valid ${encoding}`)
    }
  }
  if (iconv().encodingExists(encoding)) return iconv().decode(Buffer.from(bytes), encoding)
  throw new DecodeError(`unknown encoding "${encoding}"`)
}

function webLabel(encoding: string): string | undefined {
  const label = encoding.trim().toLowerCase().replace(/_/g, '-')
  try {
    new TextDecoder(label)
    return label
  } catch {
    return undefined
  }
}
