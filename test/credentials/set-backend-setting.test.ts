import { describe, expect, it } from 'vitest'
import { setBackendSetting } from '../../src/credentials/set-backend-setting.js'

const FILE = '/etc/ust/user-sync-config.yml'

describe('credentials.backend written by migrate --backend', () => {
  it('replaces the value in place, keeping comments and quoting around it', () => {
    const text = 'credentials:\n  # where secrets live\n  backend: keyring # the desktop one\nlogging: {}\n'
    expect(setBackendSetting(FILE, text, 'file')).toBe(
      'credentials:\n  # where secrets live\n  backend: file # the desktop one\nlogging: {}\n',
    )
  })

  it('adds the key under an existing credentials block, at its indentation', () => {
    expect(setBackendSetting(FILE, 'credentials:\n    other: 1\n', 'file')).toBe(
      'credentials:\n    backend: file\n    other: 1\n',
    )
  })

  it('appends a commented block when there is none', () => {
    expect(setBackendSetting(FILE, 'adobe_users: {}', 'env')).toBe(
      'adobe_users: {}\n\n# The credential backend holding the secrets of secure_X_key settings (set by ust credentials migrate).\ncredentials:\n  backend: env\n',
    )
  })

  it('refuses a layout it cannot edit safely, changing nothing', () => {
    expect(() => setBackendSetting(FILE, 'credentials: {backend: keyring}\n', 'file')).toThrow(
      `Could not set credentials.backend in ${FILE} safely`,
    )
    expect(() => setBackendSetting(FILE, 'credentials: keyring\n', 'file')).toThrow('safely')
  })
})
