import { defineConfig } from 'vitest/config'

import { HOOK_TIMEOUT_MS, TEST_TIMEOUT_MS } from './server/testing/timing.js'

// The database-backed suite runs on embedded PGlite by default. When TEST_DATABASE_URL points at a real
// PostgreSQL server (CI sets it), the server tests run a second time as the `postgres` project.
// Tests read the choice through vitest's inject(), so nothing under server/ reads process.env.
// The timeouts and every other timing assumption of the suite are stated in server/testing/timing.ts.
const testDatabaseUrl = process.env['TEST_DATABASE_URL'] ?? ''

export default defineConfig({
  test: {
    reporters: ['default', './scripts/summary-reporter.ts'],
    testTimeout: TEST_TIMEOUT_MS,
    hookTimeout: HOOK_TIMEOUT_MS,
    projects: [
      {
        test: {
          name: 'pglite',
          include: [
            'server/**/*.test.ts',
            'contracts/**/*.test.ts',
            'emulator/**/*.test.ts',
            'e2e/**/*.test.ts',
          ],
          provide: { testDatabaseUrl: '' },
          testTimeout: TEST_TIMEOUT_MS,
          hookTimeout: HOOK_TIMEOUT_MS,
        },
      },
      {
        // Fast unit tests of the web UI's own logic (formatting, URL and form state) and the bundle budget.
        test: {
          name: 'web',
          include: ['web/**/*.test.ts', 'web/**/*.test.tsx', 'scripts/**/*.test.ts'],
          testTimeout: TEST_TIMEOUT_MS,
          hookTimeout: HOOK_TIMEOUT_MS,
        },
      },
      ...(testDatabaseUrl
        ? [
            {
              test: {
                name: 'postgres',
                include: ['server/**/*.test.ts'],
                provide: { testDatabaseUrl },
                testTimeout: TEST_TIMEOUT_MS,
                hookTimeout: HOOK_TIMEOUT_MS,
              },
            },
          ]
        : []),
    ],
  },
})
