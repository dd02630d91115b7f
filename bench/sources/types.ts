import type { TestCa } from '@ust-sync/test-servers'

/** A fake directory started for one benchmark run (in the parent process). */
export interface BenchServer {
  /** What the measuring child needs to reach it (JSON). */
  setup: Record<string, unknown>
  /** The fewest requests a read of every mapped group can take with the source's page size. */
  minimumRequests: number
  /** Problems seen by the fake after the read (e.g. the rate limit exceeded); empty when fine. */
  problems(): string[]
  close(): Promise<void>
}

/** What the child reports after one read. */
export interface BenchRead {
  users: number
  /** Users read with at least one group. */
  withGroups: number
  /** Requests the source sent (retries included). */
  requests: number
}

/**
 * One identity source in `npm run bench:sources`: `start` loads `users` users in `groups` groups into its
 * fake (not timed), `read` (in a fresh child process, timed) reads every group's members through the
 * real source.
 */
export interface SourceBench {
  /** The source id printed as `source=<id>`. */
  source: string
  start(users: number, groups: number, ca: TestCa): Promise<BenchServer>
  read(setup: Record<string, unknown>, groups: number): Promise<BenchRead>
}
