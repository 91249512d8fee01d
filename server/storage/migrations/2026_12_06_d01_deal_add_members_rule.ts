import { sql, type Kysely } from 'kysely'

// Per-deal "who may add members" (issue 15 item 3): an opportunity's settings row may now hold either rule
// or both; a null column follows the module default in crm_feed_settings. A row left with neither rule is
// deleted by the statement that changes it (feed-settings.repository.ts writeDealRules); a check forbidding
// it would also refuse the upsert's proposed row when only one rule is handed back to the default.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table crm_feed_opportunity_settings
      alter column who_may_post drop not null,
      add column who_may_add_members text check (who_may_add_members in ('members', 'admins'))`.execute(db)
}
