/**
 * Version of the plugin contract defined in `@ust-sync/api`. It is always the **major version of the
 * `@ust-sync/api` package** (contract 1 is `@ust-sync/api@1.x`; test/plugins/api-version.test.ts keeps the
 * two equal): minor releases only add (optional fields, helpers), a breaking change is a new major and a
 * new `API_VERSION`.
 *
 * A plugin declares the version it was built for in its package.json (`"ust": {"apiVersion": 1}`) and
 * depends on `"@ust-sync/api": "^1.0.0"`. The core refuses (reports and skips) a plugin whose declared
 * version differs from this one, without loading its code.
 */
export const API_VERSION = 1
