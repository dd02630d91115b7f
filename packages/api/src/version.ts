/**
 * Version of the plugin contract defined in `@ust-sync/api`.
 *
 * A plugin declares the version it was built for in its package.json (`"ust": {"apiVersion": 1}`).
 * The core refuses (reports and skips) a plugin whose declared version differs from this one.
 */
export const API_VERSION = 1
