import {
  StepError,
  type CreateUserStep,
  type MembershipStep,
  type UpdateUserStep,
  type ValidEntry,
} from './action-steps.js'
import type { FakeGroup, FakeOrg, FakeUser } from './org-state.js'

/** Groups UMAPI never adds or removes (kept by `remove: "all"`). */
const PROTECTED_GROUPS = ['_org_admin', '_compartment_admin', '_compartment_viewer']
const TRUST_MESSAGE = 'Changes to users are only allowed in claimed domains.'

/** Where an entry runs: the org (a throw-away clone in test mode) and whether it is test mode. */
export interface ApplyContext {
  org: FakeOrg
  testOnly: boolean
}

type UserEntry = Extract<ValidEntry, { kind: 'user' }>

const domainOf = (email: string): string => email.slice(email.indexOf('@') + 1)

/**
 * Runs the steps of a user entry in order, throwing {@link StepError} at the first failing step.
 * Earlier steps of a failing entry stay applied (UMAPI is not transactional per entry).
 * Test mode: a missing user is not an error, creates do not check for existing users, and nothing
 * is changed (the context's org is a clone); group names and claimed domains are still checked.
 */
export function applyUserEntry(ctx: ApplyContext, entry: UserEntry): void {
  const first = entry.steps[0]
  const useAdobeID = entry.useAdobeID || first?.name === 'addAdobeID'
  let user = ctx.org.findUser(entry.root, { domain: entry.domain, useAdobeID })
  entry.steps.forEach((step, index) => {
    switch (step.name) {
      case 'createEnterpriseID':
      case 'createFederatedID':
      case 'addAdobeID':
        user = create(ctx, entry, step, index)
        break
      case 'update':
        update(ctx, requireUser(ctx, user, entry, index), step, index)
        break
      case 'add':
      case 'remove':
        membership(ctx, requireUser(ctx, user, entry, index), step, index)
        break
      case 'removeFromOrg':
        if (user && !ctx.testOnly) ctx.org.removeUser(user)
        break
    }
  })
}

function requireUser(
  ctx: ApplyContext,
  user: FakeUser | undefined,
  entry: UserEntry,
  index: number,
): FakeUser | undefined {
  if (!user && !ctx.testOnly)
    throw new StepError('error.user.nonexistent', `User ${entry.root} does not exist in the organization`, index)
  return user
}

function create(ctx: ApplyContext, entry: UserEntry, step: CreateUserStep, index: number): FakeUser | undefined {
  const adobe = step.name === 'addAdobeID'
  const type =
    step.name === 'createEnterpriseID' ? 'enterpriseID' : step.name === 'createFederatedID' ? 'federatedID' : 'adobeID'
  // The root is the new user's username: an email-type username may differ from the email (umapi.md §5.1).
  const username = entry.domain !== undefined || entry.root.includes('@') ? entry.root : step.email
  const domain = entry.domain ?? domainOf(username)
  if (!adobe && !ctx.org.isClaimed(domain))
    throw new StepError('error.domain.trust.nonexistent', `${TRUST_MESSAGE} (${domain})`, index)
  // Only users named by the email or the root can match: look them up in the org's index (large orgs).
  const existing = [...ctx.org.usersNamed(step.email), ...ctx.org.usersNamed(entry.root)].find(
    (u) =>
      (u.type === 'adobeID') === adobe &&
      (u.email.toLowerCase() === step.email.toLowerCase() ||
        (entry.domain !== undefined &&
          u.username.toLowerCase() === entry.root.toLowerCase() &&
          u.domain.toLowerCase() === domain.toLowerCase())),
  )
  if (ctx.testOnly) return existing
  if (existing) {
    if (existing.type !== type)
      throw new StepError(
        'error.user.type_mismatch',
        `User ${entry.root} exists as ${existing.type}, not ${type}`,
        index,
      )
    if (step.option === undefined)
      throw new StepError('error.user.already_in_org', `User ${entry.root} is already in the organization`, index)
    if (step.option === 'updateIfAlreadyExists') {
      if (step.firstname !== undefined) existing.firstname = step.firstname
      if (step.lastname !== undefined) existing.lastname = step.lastname
    }
    return existing
  }
  return ctx.org.addUser({
    email: step.email,
    type,
    username,
    domain,
    firstname: step.firstname,
    lastname: step.lastname,
    country: step.country,
  })
}

function update(ctx: ApplyContext, user: FakeUser | undefined, step: UpdateUserStep, index: number): void {
  if (user?.type === 'adobeID')
    throw new StepError('error.update.adobeid.no', `User ${user.email} is an Adobe ID and cannot be updated`, index)
  if (step.email !== undefined && !ctx.org.isClaimed(domainOf(step.email))) {
    throw new StepError('error.domain.trust.nonexistent', `${TRUST_MESSAGE} (${domainOf(step.email)})`, index)
  }
  if (!user || ctx.testOnly) return
  const taken = (value: string): boolean => ctx.org.usersNamed(value).some((u) => u !== user && u.type !== 'adobeID')
  if (step.email !== undefined && taken(step.email))
    throw new StepError('error.user.email.name_in_use', `Email ${step.email} is already in use`, index)
  if (step.username !== undefined && taken(step.username))
    throw new StepError('error.user.name_in_use', `Username ${step.username} is already in use`, index)
  if (step.email !== undefined && step.email.toLowerCase() !== user.email.toLowerCase()) {
    const usernameFollows = user.username.toLowerCase() === user.email.toLowerCase() && step.username === undefined
    ctx.org.setIdentity(
      user,
      usernameFollows
        ? { email: step.email, username: step.email, domain: domainOf(step.email) }
        : { email: step.email },
    )
  }
  if (step.username !== undefined) ctx.org.setIdentity(user, { username: step.username })
  if (step.firstname !== undefined) user.firstname = step.firstname
  if (step.lastname !== undefined) user.lastname = step.lastname
}

/** Resolves every name first (so a step with one bad name changes nothing), then applies. */
function membership(ctx: ApplyContext, user: FakeUser | undefined, step: MembershipStep, index: number): void {
  const org = ctx.org
  if (step.all) {
    if (user && !ctx.testOnly)
      for (const g of org.groups()) if (!PROTECTED_GROUPS.includes(g.groupName.toLowerCase())) g.members.delete(user.id)
    return
  }
  const names = [
    ...step.groups.map((n) => ({ n, profile: false })),
    ...step.profiles.map((n) => ({ n, profile: true })),
  ]
  for (const { n, profile } of names) {
    if (PROTECTED_GROUPS.includes(n.toLowerCase()))
      throw new StepError(
        'error.group.invalid_name',
        `Group ${n} cannot be changed through the User Management API`,
        index,
      )
    const group = org.findGroup(n)
    const known = group
      ? !profile || group.type === 'PRODUCT_PROFILE'
      : !profile && step.name === 'add' && org.deriveAdminGroup(n) !== undefined
    if (!known) throw new StepError('error.group.not_found', `Group ${n} was not found`, index)
    if (group?.readOnly && group.type === 'USER_GROUP') {
      const code =
        step.name === 'add'
          ? 'error.usergroup.readonly.add_user_not_allowed'
          : 'error.usergroup.readonly.remove_user_not_allowed'
      throw new StepError(code, `User group ${group.groupName} is read-only in this organization`, index)
    }
  }
  if (!user || ctx.testOnly) return
  for (const { n } of names) {
    const group: FakeGroup | undefined = step.name === 'add' ? org.groupForMembership(n) : org.findGroup(n)
    if (step.name === 'add') group?.members.add(user.id)
    else group?.members.delete(user.id)
  }
}
