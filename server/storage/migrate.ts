import { Migrator, type Kysely } from 'kysely'

import { migrations } from './migrations/index.js'

/** Brings the schema up to date. Kysely's migrator takes a lock, so concurrent processes on PostgreSQL are safe. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<{ applied: string[] }> {
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((result) => result.status === 'Error')
  if (error || failed) {
    const name = failed ? ` (${failed.migrationName})` : ''
    throw new Error(
      `Database migration failed${name}: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  return { applied: (results ?? []).map((result) => result.migrationName) }
}
