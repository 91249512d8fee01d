// The suite's timing assumptions, stated once. The suite must pass on a busy machine: CI runs on the same two
// cores as other work, where a step that takes 50 ms idle can take seconds. So:
//   - no test sleeps for a fixed time or asserts how long something took (benchmarks measure speed);
//   - a test that waits for something the code does in the background (a change notification, a sync run,
//     a browser navigation) polls for the condition with waitFor(), whose deadline only bounds "it never
//     happens", and is far above what the awaited step takes even under load;
//   - where a test must observe a state in the middle of background work (a running sync), it holds the
//     work there through the code's own hooks instead of hoping to look at the right moment.
// Every limit below bounds "it never happens", so it is generous: measured with other helpers' suites and
// benchmarks beside this one (load average 12-28 on two cores), an in-memory PGlite database took up to ~75 s
// to create and migrate, and a test of 100 parallel sign-ins 13 s, against ~1 s idle. vitest.config.ts takes
// its timeouts from here.

/** One test, hooks excluded (vitest `testTimeout`). */
export const TEST_TIMEOUT_MS = 120_000

/** beforeAll/afterAll: creating and migrating a fresh database, starting emulators (vitest `hookTimeout`). */
export const HOOK_TIMEOUT_MS = 300_000

/**
 * A test that boots embedded PGlite on a data folder more than once (each boot of a new folder runs initdb in
 * WebAssembly: ~1 s idle, 10-40 s loaded), or runs whole syncs in other processes: `it(name, SLOW_TEST, fn)`.
 */
export const SLOW_TEST_TIMEOUT_MS = 300_000
export const SLOW_TEST = { timeout: SLOW_TEST_TIMEOUT_MS }

/** How long waitFor() polls before it gives up: within TEST_TIMEOUT_MS, so its message is the one shown. */
export const WAIT_FOR_MS = 60_000

/** waitFor() on sync runs of a few thousand emulated records through pg-boss (polls every 2 s); SLOW_TEST. */
export const SYNC_RUNS_WAIT_MS = 120_000

/** waitFor() on a child process that first boots tsx and opens PGlite from disk; SLOW_TEST. */
export const CHILD_PROCESS_WAIT_MS = 150_000

const POLL_INTERVAL_MS = 25

/**
 * Polls `check` until it returns without throwing (an `expect` that holds), and returns what it returned.
 * After `timeoutMs` the last failure is thrown, so the report shows the assertion that never held.
 */
export async function waitFor<T>(check: () => Promise<T> | T, timeoutMs: number = WAIT_FOR_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await check()
    } catch (err) {
      if (Date.now() > deadline) throw err
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS))
  }
}
