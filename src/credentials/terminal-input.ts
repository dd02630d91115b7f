import { CredentialError } from '@ust-sync/api'

/** Whether a hidden prompt can be shown (stdin is a terminal). */
export function canPrompt(): boolean {
  return process.stdin.isTTY === true && typeof process.stdin.setRawMode === 'function'
}

/**
 * Asks on the terminal without echoing what is typed (the question goes to stderr, so `--json` stdout
 * stays clean). Enter ends the input, Backspace erases, Ctrl-C or Ctrl-D on an empty line cancels.
 */
export function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin
  process.stderr.write(question)
  return new Promise((resolve, reject) => {
    let value = ''
    const done = (error?: Error) => {
      stdin.setRawMode(false)
      stdin.pause()
      stdin.off('data', onData)
      process.stderr.write('\n')
      if (error) reject(error)
      else resolve(value)
    }
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done()
        if (char === '\u0003' || (char === '\u0004' && value === ''))
          return done(new CredentialError('Cancelled at the prompt; nothing was changed'))
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1)
        else if (char >= ' ') value += char
      }
    }
    stdin.setRawMode(true)
    stdin.resume()
    stdin.on('data', onData)
  })
}

/** All of stdin (`--stdin`), without one trailing newline. */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new CredentialError('--stdin was given but stdin is a terminal', {
      suggestions: [
        'pipe the secret in (e.g. `printf %s "$SECRET" | ust credentials set ... --stdin`), or drop --stdin to be asked for it',
      ],
    })
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
}
