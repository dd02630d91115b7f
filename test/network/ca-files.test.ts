import { describe, expect, it } from 'vitest'
import { loadCaFiles } from '../../src/network/ca-files.js'

describe('network.ca_file', () => {
  it('refuses what is not a regular file at once (a device would never end), naming the setting', () => {
    expect(() => loadCaFiles([{ path: '/dev/zero', source: 'network.ca_file' }])).toThrow(
      'network.ca_file: cannot read the CA file /dev/zero (not a regular file)',
    )
    expect(() => loadCaFiles([{ path: '/nonexistent/ca.pem', source: 'REQUESTS_CA_BUNDLE' }])).toThrow(
      'REQUESTS_CA_BUNDLE: cannot read the CA file /nonexistent/ca.pem (no such file)',
    )
  })
})
