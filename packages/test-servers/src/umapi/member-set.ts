/** Groups by member user id: the reverse of every group's member set, kept up to date by {@link MemberSet}. */
export type MembershipIndex = Map<string, Set<object>>

/**
 * A group's member ids (a `Set<string>` to its users) that also keeps the org's {@link MembershipIndex}
 * right on every add, delete and clear, so "which groups is this user in" needs no probe of every group
 * (rendering a large org's users page by page).
 */
export class MemberSet extends Set<string> {
  private index?: MembershipIndex
  private group?: object

  /** Starts indexing for `group` in `index` (members added before are indexed now). */
  attach(index: MembershipIndex, group: object): this {
    this.index = index
    this.group = group
    for (const id of this) this.link(id)
    return this
  }

  override add(id: string): this {
    if (!this.has(id)) {
      super.add(id)
      this.link(id)
    }
    return this
  }

  override delete(id: string): boolean {
    if (!super.delete(id)) return false
    const groups = this.index?.get(id)
    if (groups && this.group) {
      groups.delete(this.group)
      if (groups.size === 0) this.index?.delete(id)
    }
    return true
  }

  override clear(): void {
    for (const id of [...this]) this.delete(id)
  }

  private link(id: string): void {
    if (!this.index || !this.group) return
    let groups = this.index.get(id)
    if (!groups) this.index.set(id, (groups = new Set()))
    groups.add(this.group)
  }
}
