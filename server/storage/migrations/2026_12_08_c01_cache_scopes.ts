import { sql, type Kysely } from 'kysely'

// Scoped flushes for the read cache (server/cache/read-cache.ts). A feed page and the bell change with every
// post, so flushing every cached answer on every post (what the table notification of crm_live_events did)
// left almost nothing to serve from memory. Each statement writing live events (migration 0701: a feed, an
// opportunity, a bell or someone's memberships changed) now also sends the scopes it touched in one
// notification, 'scopes o:<opportunity id> b:<user id> u:<user id> ...' (a deal's feed or fields, a user's
// bell, everything a user reads after their memberships changed), and the cache flushes only the answers
// that depend on those. A statement touching more than MAX_SCOPES (a sync page) sends 'scopes *' instead:
// PostgreSQL caps a payload at 8,000 bytes (https://www.postgresql.org/docs/current/sql-notify.html).
// The feed settings, which every feed page shows, get migration 0110's table notification.
// Triggers of one event fire in name order (https://www.postgresql.org/docs/current/trigger-definition.html):
// 'flush_scopes' before 'notify_change'. A transaction's notifications arrive together at its commit, but
// PostgreSQL keeps only the first of identical ones (https://www.postgresql.org/docs/current/sql-notify.html),
// so in a transaction of several statements the scopes of the later ones follow its one 'crm_live_events'.
// No stale answer follows from that: a live hub delivers an event only after reading it back from the
// database, a round trip after the whole commit's notifications were sent, and the browser fetches after that.
const MAX_SCOPES = 100

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function notify_live_scopes() returns trigger language plpgsql as $$
    declare
      scopes text[];
    begin
      select array_agg(distinct s.scope) into scopes from (
        select case n.kind when 'notifications' then 'b:' || n.user_id::text
                           when 'membership' then 'u:' || n.user_id::text
                           else 'o:' || n.opportunity_id end as scope
        from new_rows n) s
      where s.scope is not null;
      if scopes is null then
        return null;
      end if;
      perform pg_notify('crm_changes', 'scopes ' || case when cardinality(scopes) > ${sql.lit(MAX_SCOPES)}
        then '*' else array_to_string(scopes, ' ') end);
      return null;
    end
    $$`.execute(db)
  await sql`create trigger crm_live_events_flush_scopes after insert on crm_live_events
    referencing new table as new_rows
    for each statement execute function notify_live_scopes()`.execute(db)
  for (const table of ['crm_feed_settings', 'crm_feed_opportunity_settings']) {
    await sql`create trigger ${sql.id(`${table}_notify_change`)}
      after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function notify_table_change()`.execute(db)
  }
}
