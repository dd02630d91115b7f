/** A JSON Schema (draft 2020-12 subset understood by ajv) as a plain object. */
export type JsonSchema = Record<string, unknown>

/**
 * A secret setting in a connector file. UST's rule applies: the file holds either `key` in plain text or
 * `secure_<key>_key: <service name>`; the core resolves the latter through the credential backend with the
 * account named by `account` before the plugin sees the config. Giving both is an error.
 */
export interface SecretSpec {
  /** Dotted path of the secret, e.g. `enterprise.client_secret`. */
  key: string
  /** Dotted path of the setting whose value is the keyring account (UST's keyring username), e.g. `enterprise.org_id`. */
  account: string
  /** Whether the secret must be present (in one of its two forms). */
  required: boolean
  /**
   * `false` for a setting that may live in a credential backend but is no secret, such as an OAuth client
   * id: the core does not mask its value in output, so an administrator can see which one was used.
   * Default: masked everywhere.
   */
  redact?: boolean
}

/**
 * What a contribution declares about its connector file (e.g. `connector-umapi.yml`). The core validates
 * the file against `schema` (use `additionalProperties: false` everywhere for UST's strict keys) and
 * reports every problem with file, line:column and key path.
 */
export interface ConnectorSchema {
  /**
   * JSON Schema of the file after secrets are resolved (secrets appear under their plain `key`). These
   * ust keywords are understood besides standard JSON Schema:
   * - `"x-ust-path": true` on a string: a file path, made absolute relative to the file that holds it;
   * - `"x-ust-case-insensitive": true` on an `enum`: values match ignoring case and surrounding spaces;
   *   the plugin receives the enum's own spelling;
   * - `"x-ust-ignored": "<note>"` on a property: a key UST accepts without acting on it; accepted whatever
   *   its value, left out of what the plugin receives, and warned about with the note;
   * - `"x-ust-message": "<what the value must be>"` on any schema: when the value breaks one of that
   *   schema's rules (`pattern`, `minLength`, `format`, `enum`, `type`, …), the administrator reads this
   *   message instead of the rule (never the raw regex), e.g.
   *   `{"type": "string", "pattern": "^[0-9A-F]{24}@AdobeOrg$", "x-ust-message": "must be an org id like 0123456789ABCDEF01234567@AdobeOrg"}`.
   *   Rules about an object's keys (unknown or missing keys) keep ust's own wording.
   *
   * An empty value (`key:`, `~`) of a typed key is "not set", as in UST.
   *
   * Use `additionalProperties: false` on every object (misspelt keys are errors, as in UST). A scalar
   * where a list is expected is wrapped in a list. JSON Schema `default` is an annotation only: it is NOT
   * applied, so apply defaults in `create()`.
   */
  schema: JsonSchema
  /** Secret settings, for `secure_*_key` resolution and for redaction. */
  secrets?: SecretSpec[]
}
