// A portal edit written back to Salesforce. Access comes first and in the query (a member reaches only the
// opportunities assigned to them, admins any: anything else is 404, as for the detail page); then the admin's
// settings (403 EDITS_DISABLED), the allowed fields (400), and the idempotency key (a double submit gets the
// first answer and never writes again). The PATCH carries only the changed fields and is conditional on the
// version the user saw (If-Unmodified-Since); on success the cache row is refreshed from Salesforce's
// read-back and the audit written in one transaction, so nothing is half-written if any step fails.
// A user who connected their own Salesforce account (salesforce-account.service.ts) writes as that Salesforce
// user, under their own permissions; the reads around the write stay the integration user's.
import type { EditConflict, EditOpportunityBody } from '../../../contracts/api/edits.api.js'
import type { OpportunityDetail } from '../../../contracts/api/opportunities.api.js'
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { toSalesforceError } from '../../providers/salesforce/salesforce-api.js'
import { isSalesforceError } from '../../providers/salesforce/salesforce-errors.js'
import type { CrmSession, OpportunityRecord } from '../../providers/crm-provider.js'
import type { Db } from '../../storage/open-database.js'
import { openCrmSession, openUserCrmSession, UserLinkNeedsReconnectError } from '../connection/crm-session.js'
import { findUserLink } from '../connection/user-link.repository.js'
import { assertCrmModuleEnabled } from '../opportunities/crm-portal.repository.js'
import { opportunityFieldPlan } from '../opportunities/live/live-query.js'
import {
  findVisibleOpportunity,
  getVisibleOpportunity,
  type Viewer,
} from '../opportunities/opportunity-detail.repository.js'
import { readMode, readOpportunityDetail } from '../opportunities/read-mode.js'
import { upsertOpportunities } from '../sync/opportunity-upsert.repository.js'
import { toOpportunityRow } from '../sync/opportunity-row.js'
import { addSystemEntry } from '../feed/feed-system-entries.js'
import { isFinalAnswer, toEditError } from './edit-errors.js'
import { editFeedText } from './edit-feed.js'
import { cachedValue, forgetDescribe, knownLabels } from './edit-fields.js'
import {
  claimEditRequest,
  readEditSettings,
  recordEditAudit,
  releaseEditRequest,
  saveEditAnswer,
  type EditSettings,
  type FieldChange,
} from './edits.repository.js'

export interface EditResult {
  opportunity: OpportunityDetail
  changed: string[]
}

export interface Editor extends Viewer {
  name: string
}

/** What a double submit gets back: the first request's result or its final error. */
type StoredAnswer =
  | { result: EditResult }
  | {
      error: {
        code: AppError['code']
        message: string
        fields?: Record<string, string>
        details?: Record<string, unknown>
      }
    }

export function assertMayEdit(settings: EditSettings, viewer: Viewer): void {
  if (!settings.allowEdits) {
    throw new AppError(
      'EDITS_DISABLED',
      'Editing opportunities from the portal is turned off. Ask an admin to allow it in Module Settings.',
    )
  }
  if (settings.whoMayEdit === 'admins' && !viewer.isAdmin) {
    throw new AppError('EDITS_DISABLED', 'Only admins may edit opportunities from the portal.')
  }
}

export async function editOpportunity(
  deps: AppDeps,
  editor: Editor,
  id: string,
  body: EditOpportunityBody,
): Promise<EditResult> {
  const { db } = deps
  await assertCrmModuleEnabled(db)
  const row = await getVisibleOpportunity(db, id, editor)
  const settings = await readEditSettings(db)
  assertMayEdit(settings, editor)
  const fields = Object.keys(body.values)
  const refused = fields.filter((field) => !settings.editableFields.includes(field))
  if (refused.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      `Not editable from the portal: ${refused.join(', ')}.`,
      Object.fromEntries(refused.map((field) => [`values.${field}`, 'This field is not editable here.'])),
    )
  }

  const key = { userId: editor.userId, key: body.idempotencyKey }
  const claim = await claimEditRequest(db, { ...key, opportunityId: id, at: deps.clock.now() })
  if (!claim.claimed) return replay(claim.answer as StoredAnswer | undefined)
  try {
    const result = await write(deps, editor, row.connection_id, row, body)
    await saveEditAnswer(db, key.userId, key.key, { result } satisfies StoredAnswer)
    return result
  } catch (err) {
    const asUser = err instanceof WrittenAsUser
    const error = toEditError(asUser ? err.cause : err, fields, { asUser })
    if (error.code === 'CRM_REJECTED') forgetDescribe(row.connection_id)
    if (isFinalAnswer(error)) {
      const stored: StoredAnswer = {
        error: {
          code: error.code,
          message: error.message,
          ...(error.fields ? { fields: error.fields } : {}),
          ...(error.details ? { details: error.details } : {}),
        },
      }
      await saveEditAnswer(db, key.userId, key.key, stored)
    } else {
      await releaseEditRequest(db, key.userId, key.key)
      deps.log.warn({ opportunityId: id, code: error.code }, 'portal edit not written to Salesforce')
    }
    throw error
  }
}

function replay(answer: StoredAnswer | undefined): EditResult {
  if (!answer) {
    throw new AppError('CONFLICT', 'This change is still being saved. Wait a moment and reload the page.')
  }
  if ('result' in answer) return answer.result
  const { code, message, fields, details } = answer.error
  throw new AppError(code, message, fields, undefined, details)
}

type Row = NonNullable<Awaited<ReturnType<typeof findVisibleOpportunity>>>

async function write(
  deps: AppDeps,
  editor: Editor,
  connectionId: string,
  row: Row,
  body: EditOpportunityBody,
): Promise<EditResult> {
  const { client } = await openCrmSession(deps, connectionId)
  const own = await openUserCrmSession(deps, connectionId, editor.userId)
  const mode = await readMode(deps.db)
  const fields = Object.keys(body.values)
  // The cache holds the values the user saw; with the cache off (a key index only) Salesforce has them.
  const before =
    mode.source === 'cache'
      ? Object.fromEntries(fields.map((field) => [field, cachedValue(row, field)]))
      : ((await client.currentOpportunity(row.id, fields))?.values ?? {})
  try {
    await (own?.client ?? client).updateOpportunity({
      id: row.id,
      values: body.values,
      ifUnmodifiedSince: new Date(body.lastModifiedDate),
    })
  } catch (err) {
    if (isSalesforceError(err, 'conflict'))
      throw await conflictError(deps, client, connectionId, row.id, body)
    if (own) throw new WrittenAsUser(await ownRefusal(deps, connectionId, editor.userId, err))
    throw err
  }
  // Salesforce's record after the write: the whole of it for the cache, or the edited fields when live.
  const record = mode.source === 'cache' ? await readBack(deps, client, connectionId, row.id) : undefined
  const live = record ? undefined : await client.currentOpportunity(row.id, fields)
  await deps.db.transaction().execute(async (trx) => {
    const fresh = record ? await storeRecord(trx, deps, connectionId, record) : undefined
    const after = (field: string) =>
      fresh ? cachedValue(fresh, field) : (live?.values[field] ?? body.values[field] ?? null)
    const changes: FieldChange[] = fields.map((field) => ({
      field,
      before: before[field] ?? null,
      after: after(field),
    }))
    await recordEditAudit(trx, {
      opportunityId: row.id,
      userId: editor.userId,
      changes,
      at: deps.clock.now(),
    })
    await addSystemEntry(trx, {
      opportunityId: row.id,
      authorId: editor.userId,
      body: editFeedText(editor.name, changes, knownLabels(connectionId)),
      at: deps.clock.now(),
    })
  })
  const opportunity = await readOpportunityDetail(deps, row.id, editor, () => undefined)
  return { opportunity, changed: fields }
}

/** A write made with the user's own Salesforce session failed: `cause` says how (edit-errors.ts words it). */
class WrittenAsUser extends Error {
  constructor(override readonly cause: unknown) {
    super('written as the user', { cause })
  }
}

/** jsforce hides why signing in again failed; the link's status says whether their refresh token was refused. */
async function ownRefusal(deps: AppDeps, connectionId: string, userId: string, err: unknown) {
  if (!isSalesforceError(toSalesforceError(err), 'session_expired')) return err
  const link = await findUserLink(deps.db, userId, connectionId)
  return link?.status === 'needs_reconnect' ? new UserLinkNeedsReconnectError(link.status_reason ?? '') : err
}

/** The whole record as Salesforce has it now, read with the sync's field plan; undefined if it is gone. */
async function readBack(
  deps: AppDeps,
  client: CrmSession,
  connectionId: string,
  id: string,
): Promise<OpportunityRecord | undefined> {
  const plan = await opportunityFieldPlan(deps, connectionId, client)
  for await (const page of client.opportunitiesByIds([id], plan, 200)) return page.records[0]
  return undefined
}

/** Writes a record to the cache as the sync does (opportunity-upsert never replaces a newer version). */
async function storeRecord(db: Db, deps: AppDeps, connectionId: string, record: OpportunityRecord) {
  await upsertOpportunities(db, [toOpportunityRow(record, connectionId, deps.clock.now())])
  return findVisibleOpportunity(db, record.id, { userId: '', isAdmin: true })
}

async function conflictError(
  deps: AppDeps,
  client: CrmSession,
  connectionId: string,
  id: string,
  body: EditOpportunityBody,
): Promise<AppError> {
  const fields = Object.keys(body.values)
  const current = await client.currentOpportunity(id, fields)
  if (!current) throw new AppError('OPPORTUNITY_DELETED', 'This opportunity was deleted in Salesforce.')
  // The cache shows Salesforce's version at once, so "keep theirs" needs no wait for the next sync.
  if ((await readMode(deps.db)).source === 'cache') {
    const record = await readBack(deps, client, connectionId, id)
    if (record) await storeRecord(deps.db, deps, connectionId, record)
  }
  const who = current.lastModifiedBy.name ?? 'Someone'
  const details: EditConflict = {
    fields: fields.map((field) => ({
      field,
      ours: body.values[field] ?? null,
      theirs: current.values[field] ?? null,
    })),
    lastModifiedDate: current.lastModifiedDate.toISOString(),
    lastModifiedByName: current.lastModifiedBy.name,
  }
  return new AppError(
    'EDIT_CONFLICT',
    `${who} changed this opportunity in Salesforce after you loaded it. Keep your value or take theirs.`,
    undefined,
    undefined,
    details,
  )
}
