import type { CreateUserStep, UpdateUserStep, UserRef } from '@ust-sync/api'
import type { SandboxOrg, SandboxUser } from './org-types.js'
import { domainOf, findGroup, findUser, fold, rootOf } from './user-lookup.js'

/** An error as UMAPI reports it for a failed step. */
export interface StepError {
  code: string
  message: string
}

/** Admin roles UMAPI never removes, not even with `remove: "all"`. */
const PROTECTED_GROUPS = ['_org_admin', '_compartment_admin', '_compartment_viewer']

const COUNTRY = /^[A-Z]{2}$/

/**
 * The user steps of UMAPI's action API applied to a working copy of an org (mutated in place). Each returns
 * the errors that make the step fail (and stop the command), or an empty list.
 */
export const userSteps = {
  /** `createEnterpriseID` / `createFederatedID` / `addAdobeID` with `ignoreIfAlreadyExists` or `updateIfAlreadyExists`. */
  create(org: SandboxOrg, ref: UserRef, step: CreateUserStep): StepError[] {
    const existing = findUser(org, ref)
    if (existing) {
      if (step.onConflict === 'update') {
        if (step.firstname !== undefined) existing.firstname = step.firstname
        if (step.lastname !== undefined) existing.lastname = step.lastname
      }
      return []
    }
    const errors: StepError[] = []
    if (!/^[^@\s]+@[^@\s]+$/.test(ref.email) || ref.email.length > 60) {
      errors.push({ code: 'error.user.email.invalid', message: `Invalid email address ${ref.email}` })
    }
    if (step.country !== undefined && !COUNTRY.test(step.country)) {
      errors.push({
        code: 'error.country.invalid',
        message: `Invalid country code ${step.country}: expected 2 upper-case letters (ISO-3166)`,
      })
    }
    if (ref.identityType !== 'adobeID' && !step.firstname) {
      errors.push({
        code: 'error.user.firstname_missing',
        message: `First name is required to create ${ref.identityType} ${ref.email}`,
      })
    }
    if (ref.identityType !== 'adobeID' && !step.lastname) {
      errors.push({
        code: 'error.user.lastname_missing',
        message: `Last name is required to create ${ref.identityType} ${ref.email}`,
      })
    }
    if (errors.length) return errors
    org.users.push({
      identityType: ref.identityType,
      email: ref.email,
      username: ref.username || ref.email,
      domain: ref.domain || domainOf(ref.email),
      ...(step.firstname === undefined ? {} : { firstname: step.firstname }),
      ...(step.lastname === undefined ? {} : { lastname: step.lastname }),
      ...(step.country === undefined ? {} : { country: step.country }),
      groups: [],
    })
    return []
  },

  /** `update`: only for Enterprise and Federated IDs; a new email also becomes the username when the username was the email. */
  update(org: SandboxOrg, ref: UserRef, step: UpdateUserStep): StepError[] {
    const user = findUser(org, ref)
    if (!user) return [notFound(ref)]
    if (user.identityType === 'adobeID')
      return [{ code: 'error.update.adobeid.no', message: `Adobe ID ${user.email} cannot be updated` }]
    if (step.email !== undefined && fold(step.email) !== fold(user.email)) {
      const taken = org.users.some(
        (other) => other !== user && other.identityType !== 'adobeID' && fold(other.email) === fold(step.email ?? ''),
      )
      if (taken)
        return [
          { code: 'error.user.email.name_in_use', message: `Email ${step.email} is already used by another user` },
        ]
      if (fold(user.username) === fold(user.email)) {
        user.username = step.email
        user.domain = domainOf(step.email)
      }
      user.email = step.email
    }
    if (step.username !== undefined) user.username = step.username
    if (step.firstname !== undefined) user.firstname = step.firstname
    if (step.lastname !== undefined) user.lastname = step.lastname
    return []
  },

  /** `remove`: named groups, or `all` (every group but `_org_admin` and the other protected admin roles). */
  removeGroups(org: SandboxOrg, ref: UserRef, names: string[] | 'all'): StepError[] {
    const user = findUser(org, ref)
    if (!user) return [notFound(ref)]
    if (names === 'all') {
      user.groups = user.groups.filter((name) => PROTECTED_GROUPS.includes(fold(name)))
      return []
    }
    const errors = unknownGroups(org, names)
    if (errors.length) return errors
    const removed = new Set(names.map(fold))
    user.groups = user.groups.filter((name) => !removed.has(fold(name)))
    return []
  },

  /** `add`: every named group must exist (else the step fails and adds none); names take the org's spelling. */
  addGroups(org: SandboxOrg, ref: UserRef, names: string[]): StepError[] {
    const user = findUser(org, ref)
    if (!user) return [notFound(ref)]
    const errors = unknownGroups(org, names)
    if (errors.length) return errors
    for (const name of names) addGroup(user, findGroup(org, name)?.name ?? name)
    return []
  },

  /** `removeFromOrg`: always succeeds, even when the user is not in the org (as UMAPI reports it). */
  removeFromOrg(org: SandboxOrg, ref: UserRef): StepError[] {
    const user = findUser(org, ref)
    if (user) org.users = org.users.filter((other) => other !== user)
    return []
  },
}

function addGroup(user: SandboxUser, name: string): void {
  if (!user.groups.some((known) => fold(known) === fold(name))) user.groups.push(name)
}

function unknownGroups(org: SandboxOrg, names: string[]): StepError[] {
  return names
    .filter((name) => !findGroup(org, name))
    .map((name) => ({ code: 'error.group.not_found', message: `Group ${name} was not found` }))
}

function notFound(ref: UserRef): StepError {
  return { code: 'error.user.nonexistent', message: `User ${rootOf(ref)} does not exist in the organization` }
}
