import { sql, type Kysely } from 'kysely'

// The name sort follows Salesforce's order for text: upper-cased, compared byte by byte (SOQL and SOSL
// Reference, ORDER BY: "For English locales, SOQL uses the UTF-8 values of the uppercase character",
// https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_orderby.htm).
// lower(name) put '_' before 'a' where Salesforce puts it after 'A', so cached and live pages disagreed.
// The index is the list's exact sort expression (opportunity-list-sql.repository.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists crm_opportunities_sort_name`.execute(db)
  await sql`create index crm_opportunities_sort_name
    on crm_opportunities ((upper(name) collate "C"), id) where not is_deleted`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists crm_opportunities_sort_name`.execute(db)
  await sql`create index crm_opportunities_sort_name
    on crm_opportunities ((lower(name)), id) where not is_deleted`.execute(db)
}
