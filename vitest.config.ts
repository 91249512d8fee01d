import { defineConfig } from 'vitest/config'

// The database-backed suite runs on embedded PGlite by default. When TEST_DATABASE_URL points at a real
// PostgreSQL server (CI sets it), the server tests run a second time as the `postgres` project.
// Tests read the choice through vitest's inject(), so nothing under server/ reads process.env.
const testDatabaseUrl = process.env['TEST_DATABASE_URL'] ?? ''

export default defineConfig({
  test: {
    reporters: ['default', './scripts/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 90_000,
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
          testTimeout: 30_000,
          hookTimeout: 90_000,
        },
      },
      ...(testDatabaseUrl
        ? [
            {
              test: {
                name: 'postgres',
                include: ['server/**/*.test.ts'],
                provide: { testDatabaseUrl },
                testTimeout: 30_000,
                hookTimeout: 90_000,
              },
            },
          ]
        : []),
    ],
  },
})
