import { describe, expect, it } from 'vitest'
import { limitHeapGrowth } from '../../src/run/heap-growth.js'

describe('the heap growth limit a sync sets itself', () => {
  it('adds --heap-growing-percent=50 to the semi-space flag Node was started with', () => {
    expect(limitHeapGrowth(['--max-semi-space-size=8', '--enable-source-maps'])).toEqual([
      '--max-semi-space-size=8',
      '--heap-growing-percent=50',
    ])
  })

  it('keeps a growth limit given on the command line as it is', () => {
    expect(limitHeapGrowth(['--max-semi-space-size=4', '--heap-growing-percent=30'])).toEqual([
      '--max-semi-space-size=4',
      '--heap-growing-percent=30',
    ])
  })
})
