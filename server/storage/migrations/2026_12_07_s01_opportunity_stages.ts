import { sql, type Kysely } from 'kysely'

// The org's opportunity stages (OpportunityStage, https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_opportunitystage.htm),
// read by every sync run, cache on or off: menus, board columns and the chart follow sort_order (issue 17
// item 3). One row per stage of a connection; a run replaces them all. The read cache is told of a change
// like of the other tables its responses come from (2026_11_28_0110_notify_changes).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table crm_opportunity_stages (
      connection_id uuid not null references crm_connections (id) on delete cascade,
      api_name text not null,
      label text not null,
      sort_order integer,
      is_active boolean not null,
      is_closed boolean not null,
      is_won boolean not null,
      forecast_category_name text,
      primary key (connection_id, api_name)
    )`.execute(db)
  await sql`create trigger crm_opportunity_stages_notify_change
    after insert or update or delete or truncate on crm_opportunity_stages
    for each statement execute function notify_table_change()`.execute(db)
}
