import { sql, type Kysely } from 'kysely'

// When a notification's email last failed (email_error): the admin's Notification email status shows the
// newest error with its time (GET /api/admin/crm/mail-status). Set with email_error by the sender: a refusal
// or a send that never reached the server (retried), or a delivery not confirmed (kept as sent).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table crm_notifications add column email_error_at timestamptz`.execute(db)
}
