import { sql, type Kysely } from 'kysely'

// Portal edits written back to Salesforce (issue 16): the admin's settings (one row, edits off by default, the
// default editable fields, who may edit), the audit of each written field (who, field, before, after), and the
// idempotency keys that make a double submit write once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_edit_settings (
      id text primary key default 'default' check (id = 'default'),
      allow_edits boolean not null default false,
      editable_fields jsonb not null default '["StageName","Amount","CloseDate","Probability","NextStep"]',
      who_may_edit text not null default 'members' check (who_may_edit in ('members', 'admins')),
      updated_at timestamptz not null default now(),
      updated_by uuid references users (id) on delete set null
    )`.execute(db)
  await sql`insert into crm_edit_settings (id) values ('default')`.execute(db)
  await sql`
    create table crm_edit_audit (
      id bigint generated always as identity primary key,
      opportunity_id text not null,
      user_id uuid references users (id) on delete set null,
      field text not null,
      before_value jsonb,
      after_value jsonb,
      created_at timestamptz not null
    )`.execute(db)
  await sql`create index crm_edit_audit_opportunity on crm_edit_audit (opportunity_id, created_at desc)`.execute(
    db,
  )
  await sql`
    create table crm_edit_requests (
      user_id uuid not null references users (id) on delete cascade,
      idempotency_key text not null,
      opportunity_id text not null,
      answer jsonb,
      created_at timestamptz not null,
      primary key (user_id, idempotency_key)
    )`.execute(db)
}
