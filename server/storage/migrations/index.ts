// Every migration, in order. A static list (instead of reading a folder) works the same from source and
// from dist/, and a missing import is a compile error rather than a silently skipped migration.
import type { Migration } from 'kysely'

import * as createAccounts from './2026_11_28_0001_create_accounts.js'
import * as createCrmCache from './2026_11_28_0002_create_crm_cache.js'

export const migrations: Record<string, Migration> = {
  '2026_11_28_0001_create_accounts': createAccounts,
  '2026_11_28_0002_create_crm_cache': createCrmCache,
}
