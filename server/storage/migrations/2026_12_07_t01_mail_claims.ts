import { sql, type Kysely } from 'kysely'

// Notification email is sent at most once (issue 15 item 4): a sender claims a notification (email_claimed_at)
// in the database before it talks to the SMTP server, so a second worker running the same job, or a retry,
// finds it taken. The claim is undone only when the server refused the message with a reply; a connection
// lost after the message was handed over keeps it claimed and sent ("delivery not confirmed" in email_error).
// A person's day digest is claimed by its crm_mail_digests row, inserted before sending (sent_at set after).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table crm_notifications add column email_claimed_at timestamptz`.execute(db)
}
