// Starts the real server (in-memory database) serving the built web UI, building it first if stale.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

import {
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from '../../server/testing/start-test-server.js'

const root = join(import.meta.dirname, '..', '..')
let isBuilt = false

/** Runs `node scripts/build.mjs --if-stale` once per test process; a no-op when dist/ is current. */
export function buildIfStale(): void {
  if (isBuilt) return
  const result = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], {
    cwd: root,
    encoding: 'utf8',
    // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    env: { ...process.env, NODE_ENV: 'production' },
  })
  if (result.status !== 0) {
    throw new Error(`Building the app for e2e failed:\n${result.stdout}\n${result.stderr}`)
  }
  isBuilt = true
}

/** `overrides`: settings a journey needs apart from the tests' defaults (e.g. a short CRM_SYNC_STALL_MS). */
export async function startE2eServer(
  overrides: Record<string, string> = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  buildIfStale()
  return startTestServer(overrides, options)
}
