// Values vitest.config.ts hands to tests through `inject()` (see `provide` there).
import type {} from 'vitest'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Empty: run on embedded PGlite. Otherwise a PostgreSQL URL whose server the tests may create databases on. */
    testDatabaseUrl: string
  }
}
