import { sql, type Kysely } from 'kysely'

// A notification's row is updated for two reasons: the user read it (read_at: the bell changed) and the mail
// sender's bookkeeping (email_claimed_at, emailed_at, email_attempts, email_error, ...: nothing the bell shows). Migration
// 0701 made every update a live 'notifications' event, so each email sent made the recipient's browsers fetch
// the bell again and flushed the bell in every process's read cache (2026_12_08_c01). Now only updates that
// change read_at are news; the transition tables give both sides of each row
// (https://www.postgresql.org/docs/current/sql-createtrigger.html, REFERENCING OLD TABLE ... NEW TABLE).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function crm_live_notifications_read() returns trigger language plpgsql as $$
    begin
      insert into crm_live_events (kind, user_id)
        select distinct 'notifications', n.user_id from new_rows n join old_rows o on o.id = n.id
        where n.read_at is distinct from o.read_at or n.user_id is distinct from o.user_id;
      return null;
    end
    $$`.execute(db)
  await sql`drop trigger crm_notifications_live_update on crm_notifications`.execute(db)
  await sql`create trigger crm_notifications_live_update after update on crm_notifications
    referencing old table as old_rows new table as new_rows
    for each statement execute function crm_live_notifications_read()`.execute(db)
}
