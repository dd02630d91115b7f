import type { Interfaces } from '@oclif/core'
import * as Flags from '@oclif/core/flags'
import { describeOption, type RawSyncFlags, SYNC_OPTIONS } from '../sync/sync-options.table.js'

function buildFlags(): Interfaces.FlagInput {
  const flags: Interfaces.FlagInput = {}
  for (const spec of SYNC_OPTIONS) {
    if (!('flag' in spec)) continue
    const common = { description: describeOption(spec), ...('char' in spec ? { char: spec.char } : {}) }
    if (spec.kind === 'boolean') {
      flags[spec.flag] = Flags.boolean({ ...common, allowNo: spec.negatable })
      if ('inverse' in spec) flags[spec.inverse.flag] = Flags.boolean({ description: spec.inverse.description })
    } else if (spec.kind === 'tokens') flags[spec.flag] = Flags.string({ ...common, multiple: true })
    else flags[spec.flag] = Flags.string(common)
  }
  return flags
}

/** The oclif flags of `ust sync`'s options, built from {@link SYNC_OPTIONS} (help text included). */
export const syncOptionFlags = buildFlags()

/** The parsed oclif flags of `ust sync` as {@link RawSyncFlags} (the inverse flags applied). */
export function rawSyncFlags(parsed: Record<string, unknown>): RawSyncFlags {
  const raw: Record<string, unknown> = {}
  for (const spec of SYNC_OPTIONS) {
    if (!('flag' in spec)) continue
    raw[spec.field] = parsed[spec.flag]
    if ('inverse' in spec && parsed[spec.inverse.flag]) raw[spec.field] = false
  }
  return raw as RawSyncFlags
}
