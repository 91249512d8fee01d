// What the signed-in user may edit: whether at all (the admin's settings), and the allowed fields as describe
// shows them (type, picklist values in the org's order), so the UI offers the right control per field.
import type { EditableField } from '../../../contracts/api/edits.api.js'
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { openCrmSession } from '../connection/crm-session.js'
import { findCacheState } from '../opportunities/key-index.repository.js'
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
    const described = await describeEditableFields(deps, connection.id, client)
    const fields = settings.editableFields.flatMap((name) => {
      const field = described.find((candidate) => candidate.name === name)
      return field?.updateable ? [toEditableField(field)] : []
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
