// Portal edits in the database: the admin's settings, the audit of written fields, and the idempotency keys.
// A double submit carries the same key: the first claim wins and writes; the second finds the claim (and, once
// the first finished, its answer) and never writes again.
import type { Db } from '../../storage/open-database.js'
import type { WhoMayEdit } from '../../storage/tables/edits.table.js'

export interface EditSettings {
  allowEdits: boolean
  editableFields: string[]
  whoMayEdit: WhoMayEdit
}

export async function readEditSettings(db: Db): Promise<EditSettings> {
  const row = await db
    .selectFrom('crm_edit_settings')
    .select(['allow_edits', 'editable_fields', 'who_may_edit'])
    .executeTakeFirstOrThrow()
  return { allowEdits: row.allow_edits, editableFields: row.editable_fields, whoMayEdit: row.who_may_edit }
}

export async function writeEditSettings(
  db: Db,
  settings: EditSettings,
  actorId: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('crm_edit_settings')
    .set({
      allow_edits: settings.allowEdits,
      editable_fields: JSON.stringify(settings.editableFields),
      who_may_edit: settings.whoMayEdit,
      updated_at: at,
      updated_by: actorId,
    })
    .execute()
}

export interface FieldChange {
  field: string
  before: unknown
  after: unknown
}

/** One audit row per written field: who, which field, the value before and after. */
export async function recordEditAudit(
  db: Db,
  entry: { opportunityId: string; userId: string; changes: FieldChange[]; at: Date },
): Promise<void> {
  if (entry.changes.length === 0) return
  await db
    .insertInto('crm_edit_audit')
    .values(
      entry.changes.map((change) => ({
        opportunity_id: entry.opportunityId,
        user_id: entry.userId,
        field: change.field,
        before_value: JSON.stringify(change.before ?? null),
        after_value: JSON.stringify(change.after ?? null),
        created_at: entry.at,
      })),
    )
    .execute()
}

export async function listEditAudit(db: Db, opportunityId: string) {
  return db
    .selectFrom('crm_edit_audit')
    .select(['user_id', 'field', 'before_value', 'after_value', 'created_at'])
    .where('opportunity_id', '=', opportunityId)
    .orderBy('id')
    .execute()
}

/**
 * Claims an idempotency key for one user. `claimed` true: this request writes. Otherwise the earlier request's
 * answer (undefined while it is still writing).
 */
export async function claimEditRequest(
  db: Db,
  request: { userId: string; key: string; opportunityId: string; at: Date },
): Promise<{ claimed: true } | { claimed: false; answer: unknown }> {
  const inserted = await db
    .insertInto('crm_edit_requests')
    .values({
      user_id: request.userId,
      idempotency_key: request.key,
      opportunity_id: request.opportunityId,
      answer: null,
      created_at: request.at,
    })
    .onConflict((oc) => oc.columns(['user_id', 'idempotency_key']).doNothing())
    .returning('idempotency_key')
    .executeTakeFirst()
  if (inserted) return { claimed: true }
  const earlier = await db
    .selectFrom('crm_edit_requests')
    .select('answer')
    .where('user_id', '=', request.userId)
    .where('idempotency_key', '=', request.key)
    .executeTakeFirst()
  return { claimed: false, answer: earlier?.answer ?? undefined }
}

export async function saveEditAnswer(db: Db, userId: string, key: string, answer: unknown): Promise<void> {
  await db
    .updateTable('crm_edit_requests')
    .set({ answer: JSON.stringify(answer) })
    .where('user_id', '=', userId)
    .where('idempotency_key', '=', key)
    .execute()
}

/** Gives a key back when the request ended without a final answer (Salesforce unreachable): a retry may write. */
export async function releaseEditRequest(db: Db, userId: string, key: string): Promise<void> {
  await db
    .deleteFrom('crm_edit_requests')
    .where('user_id', '=', userId)
    .where('idempotency_key', '=', key)
    .where('answer', 'is', null)
    .execute()
}
