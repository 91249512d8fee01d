import { sql, type Kysely } from 'kysely'

// Who may see which opportunity. A row holds every way a user got an opportunity: a manual assignment by an
// admin and the automatic rules (Salesforce owner email, opportunity team member email). The flags are
// independent so the automatic sync can clear its own flags without ever touching a manual assignment; a
// row with no flag left is deleted.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_opportunity_members (
      user_id uuid not null references users (id) on delete cascade,
      opportunity_id text not null references crm_opportunities (id) on delete cascade,
      is_manual boolean not null default false,
      manual_added_by uuid references users (id) on delete set null,
      manual_added_at timestamptz,
      via_owner_rule boolean not null default false,
      via_team_rule boolean not null default false,
      auto_added_at timestamptz,
      primary key (user_id, opportunity_id),
      check (is_manual or via_owner_rule or via_team_rule)
    )`.execute(db)
  // The primary key serves "my opportunities"; this one serves an opportunity's member list and the
  // "with / without members" filter of the admin list.
  await sql`create index crm_opportunity_members_opportunity on crm_opportunity_members (opportunity_id)`.execute(
    db,
  )

  // One row: the module links a single org, and the setting belongs to the workspace, so it survives a
  // reconnect (a new crm_connections row).
  await sql`
    create table crm_assignment_settings (
      id text primary key default 'default' check (id = 'default'),
      auto_assign boolean not null default false,
      updated_at timestamptz not null default now(),
      updated_by uuid references users (id) on delete set null
    )`.execute(db)
  await sql`insert into crm_assignment_settings (id) values ('default')`.execute(db)
}
