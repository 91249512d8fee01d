// The change timeline's SQL, run inside a sync page's transaction while the page sits in the staging table
// (crm_opportunity_page) and the cache still holds the old rows: one statement finds every tracked field that
// changed on the page (old row vs new row), one inserts the entries, one tells the deals' members. Three
// statements per page whatever its size; no statement runs per record.
import { sql } from 'kysely'

import type { Db } from '../../storage/open-database.js'

/** One changed field of one opportunity, as found by comparing the stored row with the incoming one. */
export interface FieldChangeRow {
  opportunity_id: string
  field: string
  old_value: string | null
  new_value: string | null
  old_label: string | null
  new_label: string | null
  currency: string | null
  system_modstamp: Date
  last_modified_date: Date | null
  /** LastModifiedBy.Name when a person made this change; null for automation, deletes and key index rows. */
  changed_by: string | null
}

// Content fields are compared only when both rows hold content: key index rows (cache off, migration 0120)
// keep no tracked fields but the owner and the deletion, so turning the cache on again writes no history.
const CONTENT = sql`(o.name is not null and p.name is not null)`

// A person's change moves LastModifiedDate (and names them in LastModifiedBy); automation (workflow, rollups)
// moves only SystemModstamp, and a delete or undelete moves neither, so those entries name nobody rather than
// whoever edited the record last. Two people's changes within one second share a LastModifiedDate.
// https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/system_fields.htm
const CHANGED_BY = sql`case when c.field <> 'IsDeleted'
    and (p.last_modified_date > o.last_modified_date
      or (p.last_modified_date = o.last_modified_date and p.last_modified_by_id <> o.last_modified_by_id))
    then p.last_modified_by_name end`

/**
 * The tracked changes of the page being written: fields the admin tracks (crm_feed_settings.tracked_fields),
 * plus the outcome (won, lost, reopened) and deletion, which always have their own entries. A row that
 * will not be written (an older or equal version) changes nothing.
 */
export async function findPageChanges(db: Db): Promise<FieldChangeRow[]> {
  const { rows } = await sql<FieldChangeRow>`
    select p.id as opportunity_id, c.field, c.old_value, c.new_value, c.old_label, c.new_label,
           p.currency_iso_code as currency, p.system_modstamp, p.last_modified_date,
           ${CHANGED_BY} as changed_by
    from crm_opportunity_page p
    join crm_opportunities o on o.id = p.id
    cross join crm_feed_settings s
    left join crm_salesforce_users old_owner on old_owner.id = o.owner_id
    left join crm_salesforce_users new_owner on new_owner.id = p.owner_id
    cross join lateral (values
      ('StageName', o.stage_name, p.stage_name, null, null, ${CONTENT}),
      ('Amount', o.amount::text, p.amount::text, o.currency_iso_code, p.currency_iso_code, ${CONTENT}),
      ('CloseDate', o.close_date::text, p.close_date::text, null, null, ${CONTENT}),
      ('Probability', o.probability::text, p.probability::text, null, null, ${CONTENT}),
      ('NextStep', o.next_step, p.next_step, null, null, ${CONTENT}),
      ('ForecastCategoryName', o.forecast_category_name, p.forecast_category_name, null, null, ${CONTENT}),
      ('Name', o.name, p.name, null, null, ${CONTENT}),
      ('Type', o.type, p.type, null, null, ${CONTENT}),
      ('LeadSource', o.lead_source, p.lead_source, null, null, ${CONTENT}),
      ('OwnerId', o.owner_id, p.owner_id,
        coalesce(o.owner_name, old_owner.name), coalesce(p.owner_name, new_owner.name), true),
      ('Outcome',
        case when not o.is_closed then 'open' when o.is_won then 'won' else 'lost' end,
        case when not p.is_closed then 'open' when p.is_won then 'won' else 'lost' end, null, null, ${CONTENT}),
      ('IsDeleted', o.is_deleted::text, p.is_deleted::text, null, null, true)
    ) as c (field, old_value, new_value, old_label, new_label, comparable)
    where p.system_modstamp >= o.system_modstamp
      and c.comparable
      and c.old_value is distinct from c.new_value
      and (c.field in ('Outcome', 'IsDeleted') or c.field = any (s.tracked_fields))
    order by p.id, c.field`.execute(db)
  return rows
}

export interface SystemEntry {
  opportunityId: string
  /** Unique per opportunity: the same change found twice (a replayed page) is written once. */
  key: string
  field: string
  body: string
  bodyHtml: string
  change: Record<string, unknown>
}

/** Inserts system entries (no author) in one statement; returns those that were new. */
export async function insertSystemEntries(
  db: Db,
  entries: readonly SystemEntry[],
  at: Date,
): Promise<Array<{ id: string; opportunity_id: string; field: string }>> {
  if (entries.length === 0) return []
  const { rows } = await sql<{ id: string; opportunity_id: string; field: string }>`
    insert into crm_feed_posts
      (opportunity_id, author_id, kind, body, body_html, created_at, activity_at, system_key, system_change)
    select e.opportunity_id, null, 'system', e.body, e.body_html, ${at}, ${at}, e.key, e.change
    from jsonb_to_recordset(${JSON.stringify(
      entries.map((entry) => ({
        opportunity_id: entry.opportunityId,
        key: entry.key,
        body: entry.body,
        body_html: entry.bodyHtml,
        change: entry.change,
      })),
    )}::jsonb) as e (opportunity_id text, key text, body text, body_html text, change jsonb)
    on conflict (opportunity_id, system_key) where system_key is not null do nothing
    returning id, opportunity_id, system_change ->> 'field' as field`.execute(db)
  return rows
}
