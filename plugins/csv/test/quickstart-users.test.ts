import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { csvSource } from './helpers.js'

const quickstart = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../examples/quickstart')

describe('examples/quickstart/users.csv', () => {
  const source = () => csvSource({ file_path: 'users.csv' }, quickstart)

  it('has 48 valid people and warns about the two broken rows', async () => {
    const { users, warnings } = await source().read({ groups: [], allUsers: true, extendedAttributes: [] })
    expect(users).toHaveLength(48)
    expect(warnings).toEqual([
      expect.stringMatching(/users\.csv:10: invalid email "nora\.quinn\.northwind\.example"; row skipped$/),
      expect.stringMatching(/users\.csv:22: missing email \(column "email"\); row skipped$/),
    ])
    const olivia = users.find((user) => user.email === 'olivia.bennett@northwind.example')
    expect(olivia).toMatchObject({ firstname: 'Olivia', groups: ['Design', 'Marketing'] })
  })

  it('has 45 people in the mapped groups (Finance is not mapped)', async () => {
    const { users } = await source().read({
      groups: ['Design', 'Marketing', 'Engineering', 'Contractors'],
      allUsers: false,
      extendedAttributes: [],
    })
    expect(users).toHaveLength(45)
    expect(users.find((user) => user.email === 'grace.howard@northwind.example')?.groups).toEqual(['marketing'])
  })
})
