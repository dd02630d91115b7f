import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { privateAclArgs, restrictToOwner, windowsAccount } from '../../src/fs/windows-acl.js'

describe('private files on Windows (an ACL instead of mode 0600)', () => {
  const file = path.win32.join('C:\\ProgramData\\ust\\data', 'runs', 'run-1.json')

  it('removes inherited entries and grants the running account alone', () => {
    expect(privateAclArgs(file, 'CORP\\svc-ust')).toEqual([
      'C:\\ProgramData\\ust\\data\\runs\\run-1.json',
      '/inheritance:r',
      '/grant:r',
      'CORP\\svc-ust:(F)',
    ])
  })

  it('names the account as DOMAIN\\user, or the user alone outside a domain', () => {
    expect(windowsAccount({ USERNAME: 'svc-ust', USERDOMAIN: 'CORP' })).toBe('CORP\\svc-ust')
    expect(windowsAccount({ USERNAME: 'admin' })).toBe('admin')
    expect(windowsAccount({})).toBeUndefined()
  })

  it('runs icacls on Windows only, and refuses to leave the file open to others when it cannot', () => {
    const calls: string[][] = []
    const record = (command: string, args: string[]) => void calls.push([command, ...args])
    restrictToOwner(file, 'linux', { USERNAME: 'x' }, record)
    restrictToOwner(file, 'darwin', { USERNAME: 'x' }, record)
    expect(calls).toEqual([])
    restrictToOwner(file, 'win32', { USERNAME: 'svc-ust', USERDOMAIN: 'CORP' }, record)
    expect(calls).toEqual([['icacls', file, '/inheritance:r', '/grant:r', 'CORP\\svc-ust:(F)']])
    expect(() => restrictToOwner(file, 'win32', {}, record)).toThrow('USERNAME is not set')
    expect(() =>
      restrictToOwner(file, 'win32', { USERNAME: 'u' }, () => {
        throw new Error('icacls: Access is denied.')
      }),
    ).toThrow('Access is denied')
  })
})
