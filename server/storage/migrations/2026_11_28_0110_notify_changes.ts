import { sql, type Kysely } from 'kysely'

// Change notifications for the read cache (server/cache/read-cache.ts, storage/change-feed.ts). One
// statement-level trigger per watched table: a sync page of 2,000 rows sends one notification, not 2,000,
// and PostgreSQL folds identical notifications of one transaction into one. Session inserts and the
// once-a-minute "last seen" updates are left out on purpose: they change nothing a cached read shows.
const WATCHED: Array<{ table: string; events: string }> = [
  { table: 'users', events: 'insert or update or delete or truncate' },
  { table: 'sessions', events: 'delete or truncate' },
  { table: 'module_settings', events: 'insert or update or delete or truncate' },
  { table: 'crm_connections', events: 'insert or update or delete or truncate' },
  { table: 'crm_opportunities', events: 'insert or update or delete or truncate' },
  { table: 'crm_opportunity_members', events: 'insert or update or delete or truncate' },
  { table: 'crm_assignment_settings', events: 'insert or update or delete or truncate' },
]

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function notify_table_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('crm_changes', tg_table_name);
      return null;
    end
    $$`.execute(db)
  for (const { table, events } of WATCHED) {
    await sql`create trigger ${sql.id(`${table}_notify_change`)}
      after ${sql.raw(events)} on ${sql.table(table)}
      for each statement execute function notify_table_change()`.execute(db)
  }
}
