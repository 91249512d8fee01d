import { sql, type Kysely } from 'kysely'

// Who last changed an opportunity in Salesforce (issue 15 item 2): the record's LastModifiedById and
// LastModifiedBy.Name, so the change timeline can say "changed in Salesforce by <name>". Nullable: rows stored
// before this column existed, key index rows (cache off) and records whose last change was made by no user.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table crm_opportunities
      add column last_modified_by_id text,
      add column last_modified_by_name text`.execute(db)
}
