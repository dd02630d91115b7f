/**
 * Role groups: targets whose roles are flags rather than groups (Acrobat Sign's `isAccountAdmin` and
 * `isGroupAdmin`) list them among a user's `groups` under these names, and the engine adds or removes them
 * like any group (`addGroups: ['_account_admin']` grants the role, `removeGroups` takes it away).
 */
export const ROLE_GROUPS = {
  /** Administrator of the whole account (Sign `isAccountAdmin`). */
  accountAdmin: '_account_admin',
  /** Administrator of the user's primary group (Sign `isGroupAdmin` of that membership). */
  groupAdmin: '_group_admin',
} as const
