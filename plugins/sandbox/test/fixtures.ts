import type { UserCommand, UserRef } from '@ust-sync/api'
import type { SandboxOrg } from '../src/org-model.js'

/** A small org: two federated users, a non-email-username federated user, an Adobe ID and an admin. */
export function sampleOrg(): SandboxOrg {
  return {
    users: [
      {
        identityType: 'federatedID',
        email: 'ann@corp.example',
        username: 'ann@corp.example',
        domain: 'corp.example',
        firstname: 'Ann',
        lastname: 'Lee',
        country: 'US',
        groups: ['Design Team', 'Photoshop - Default'],
      },
      {
        identityType: 'federatedID',
        email: 'bob@corp.example',
        username: 'bob@corp.example',
        domain: 'corp.example',
        firstname: 'Bob',
        lastname: 'Ray',
        country: 'US',
        groups: [],
      },
      {
        identityType: 'federatedID',
        email: 'cy.dee@corp.example',
        username: 'cdee',
        domain: 'corp.example',
        firstname: 'Cy',
        lastname: 'Dee',
        country: 'FR',
        groups: ['Design Team'],
      },
      {
        identityType: 'adobeID',
        email: 'pat@gmail.example',
        username: 'pat@gmail.example',
        domain: 'gmail.example',
        firstname: 'Pat',
        lastname: 'Quinn',
        groups: ['Design Team'],
      },
      {
        identityType: 'enterpriseID',
        email: 'root@corp.example',
        username: 'root@corp.example',
        domain: 'corp.example',
        firstname: 'Root',
        lastname: 'Admin',
        country: 'US',
        groups: ['_org_admin', 'Design Team'],
      },
    ],
    groups: [
      { name: 'Design Team', type: 'userGroup' },
      { name: 'Photoshop - Default', type: 'productProfile' },
      { name: '_org_admin', type: 'adminGroup' },
    ],
  }
}

/** A reference to a federated ID addressed by email. */
export function fed(email: string): UserRef {
  return { identityType: 'federatedID', email, username: email, domain: email.slice(email.indexOf('@') + 1) }
}

let counter = 0

/** A user command with a fresh id. */
export function userCommand(user: UserRef, steps: Omit<UserCommand, 'kind' | 'id' | 'user'>): UserCommand {
  counter += 1
  return { kind: 'user', id: `sandbox:${counter}`, user, ...steps }
}
