import { ConfigError, CredentialError, isUstError, NetworkError, SourceError, type UstError } from '@ust-sync/api'

/** connector-umapi.yml wording → connector-adobe-console.yml wording. */
function reword(text: string): string {
  return text
    .replaceAll('umapi connector:', 'adobe_console connector:')
    .replaceAll('enterprise.', 'integration.')
    .replaceAll('connector-umapi.yml', 'connector-adobe-console.yml')
}

/**
 * An error of the shared UMAPI client, as the adobe_console source reports it: keys named as in
 * connector-adobe-console.yml (`integration.client_secret`, not `enterprise.…`), and a failure to read
 * the org (a `TargetError` for the target) turned into a `SourceError` (exit 6: the directory could not
 * be read, nothing was changed). Credential, configuration and network errors keep their class and exit code.
 */
export function reworded(error: UstError): UstError {
  const message = reword(error.message)
  const suggestions = error.suggestions.map(reword)
  const tail = error.code.includes('.') ? error.code.slice(error.code.indexOf('.') + 1).replace(/^umapi\./, '') : 'read'
  if (error.code.startsWith('config'))
    return new ConfigError(message, { code: `config.adobe-console.${tail}`, suggestions, cause: error })
  if (error.code.startsWith('credential'))
    return new CredentialError(message, { code: `credential.adobe-console.${tail}`, suggestions, cause: error })
  if (error.code.startsWith('network')) {
    const { delivery, retryable } = error as NetworkError
    return new NetworkError(message, {
      code: error.code as `network.${string}`,
      suggestions,
      delivery,
      retryable,
      cause: error,
    })
  }
  return new SourceError(message, { code: `source.adobe-console.${tail}`, suggestions, cause: error })
}

/** {@link reworded} for anything thrown (a non-ust error is passed through as it is). */
export function asSourceFailure(error: unknown): unknown {
  return isUstError(error) ? reworded(error) : error
}
