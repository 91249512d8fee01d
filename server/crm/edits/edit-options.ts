// What the signed-in user may edit: whether at all (the admin's settings), and the allowed fields as describe
// shows them (type, picklist values in the org's order), so the UI offers the right control per field.
// Stage choices follow the org's stage order (OpportunityStage.SortOrder, as the last sync read it).
import type { EditableField } from '../../../contracts/api/edits.api.js'
import { sortByStage } from '../../../contracts/api/stage-order.js'
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { openCrmSession } from '../connection/crm-session.js'
import { findCacheState } from '../opportunities/key-index.repository.js'
import { readStageOrder } from '../opportunities/stage-order.repository.js'
import type { Viewer } from '../opportunities/opportunity-detail.repository.js'
import { toEditError } from './edit-errors.js'
import { describeEditableFields, toEditableField } from './edit-fields.js'
import { readEditSettings } from './edits.repository.js'
import { assertMayEdit } from './edits.service.js'

export async function readEditOptions(
  deps: AppDeps,
  viewer: Viewer,
): Promise<{ canEdit: boolean; reason: string | null; fields: EditableField[] }> {
  const settings = await readEditSettings(deps.db)
  try {
    assertMayEdit(settings, viewer)
  } catch (err) {
    if (err instanceof AppError) return { canEdit: false, reason: err.message, fields: [] }
    throw err
  }
  const connection = await findCacheState(deps.db)
  if (!connection) return { canEdit: false, reason: 'Salesforce is not connected.', fields: [] }
  try {
    const { client } = await openCrmSession(deps, connection.id)
    const [described, order] = await Promise.all([
      describeEditableFields(deps, connection.id, client),
      readStageOrder(deps.db),
    ])
    const fields = settings.editableFields.flatMap((name) => {
      const field = described.find((candidate) => candidate.name === name)
      return field?.updateable ? [inStageOrder(toEditableField(field), order)] : []
    })
    return {
      canEdit: fields.length > 0,
      reason: fields.length > 0 ? null : 'No field can be edited.',
      fields,
    }
  } catch (err) {
    return { canEdit: false, reason: toEditError(err, []).message, fields: [] }
  }
}

/** StageName's choices in the org's stage order; other fields, or before a sync read the stages, as describe gave them. */
function inStageOrder(field: EditableField, order: ReadonlyMap<string, number | null>): EditableField {
  if (field.name !== 'StageName' || order.size === 0) return field
  const values = sortByStage(
    field.picklistValues,
    (value) => value.value,
    (value) => order.get(value.value) ?? null,
  )
  return { ...field, picklistValues: values }
}
