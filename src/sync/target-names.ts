import type { AdobeGroupRef, UstConfig } from '../config/types.js'

/** The targets `adobe_users.connectors` defines, to check the target of an `org::group` reference in one place. */
export class TargetNames {
  private readonly names: Set<string>

  constructor(config: UstConfig) {
    this.names = new Set(config.adobeUsers.targets.map((t) => t.name))
  }

  /** Undefined when `ref` names a defined target; else what is wrong and what to do. */
  unknown(ref: AdobeGroupRef): { message: string; suggestion: string } | undefined {
    if (this.names.has(ref.target)) return undefined
    return { message: `unknown target '${ref.target}'`, suggestion: `use one of ${[...this.names].join(', ')}` }
  }
}
