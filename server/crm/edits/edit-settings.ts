// The admin's control of portal edits: on/off, which fields, who. The fields come from describe as the
// integration user sees them; one it may not update (read only, a formula, a system field, or hidden by
// field-level security) is listed with the reason and cannot be chosen.
import type { EditSettings, EditSettingsField } from '../../../contracts/api/edits.api.js'
import { recordAuditEvent } from '../../audit/audit.repository.js'
import type { AppDeps } from '../../deps.js'
import { AppError } from '../../errors.js'
import type { CrmField } from '../../providers/crm-provider.js'
import { openCrmSession } from '../connection/crm-session.js'
import { findCacheState } from '../opportunities/key-index.repository.js'
import { toEditError } from './edit-errors.js'
import { describeEditableFields, forgetDescribe } from './edit-fields.js'
import { readEditSettings, writeEditSettings } from './edits.repository.js'

export interface EditSettingsAnswer {
  settings: EditSettings
  fields: EditSettingsField[]
  fieldsUnavailable: string | null
}

const READ_ONLY =
  'Read only for the integration user: a formula or system field, or field-level security in Salesforce.'

function toSettingsField(field: CrmField): EditSettingsField {
  return {
    name: field.name,
    label: field.label,
    type: field.type,
    custom: field.custom,
    notOfferedBecause: field.updateable ? null : READ_ONLY,
  }
}

async function describeFields(deps: AppDeps, fresh: boolean): Promise<CrmField[]> {
  const connection = await findCacheState(deps.db)
  if (!connection) {
    throw new AppError('VALIDATION_FAILED', 'Connect Salesforce first (Setup) to choose fields.', {
      editableFields: 'Connect Salesforce first to choose fields.',
    })
  }
  if (fresh) forgetDescribe(connection.id)
  try {
    const { client } = await openCrmSession(deps, connection.id)
    return await describeEditableFields(deps, connection.id, client)
  } catch (err) {
    throw toEditError(err, [])
  }
}

export async function readEditSettingsForAdmin(deps: AppDeps): Promise<EditSettingsAnswer> {
  const settings = await readEditSettings(deps.db)
  try {
    const fields = (await describeFields(deps, true)).map(toSettingsField)
    fields.sort((a, b) => a.label.localeCompare(b.label, 'en'))
    return { settings, fields, fieldsUnavailable: null }
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    return { settings, fields: [], fieldsUnavailable: err.message }
  }
}

export async function saveEditSettings(
  deps: AppDeps,
  actorId: string,
  input: EditSettings,
): Promise<EditSettingsAnswer> {
  const current = await readEditSettings(deps.db)
  const editableFields = [...new Set(input.editableFields)]
  // Fields already chosen stay choosable while Salesforce is unreachable; a new one must be updateable now.
  const added = editableFields.filter((field) => !current.editableFields.includes(field))
  if (added.length > 0) {
    const described = new Map((await describeFields(deps, false)).map((field) => [field.name, field]))
    const refused = added.filter((name) => !described.get(name)?.updateable)
    if (refused.length > 0) {
      throw new AppError(
        'VALIDATION_FAILED',
        `The integration user cannot update ${refused.join(', ')}, so it cannot be edited from the portal.`,
        { editableFields: `Not updateable in Salesforce: ${refused.join(', ')}.` },
      )
    }
  }
  const settings = { ...input, editableFields }
  await deps.db.transaction().execute(async (trx) => {
    await writeEditSettings(trx, settings, actorId, deps.clock.now())
    await recordAuditEvent(trx, {
      actorUserId: actorId,
      action: 'crm.edit_settings.updated',
      targetType: 'module',
      targetId: 'crm',
      details: { before: current, after: settings },
    })
  })
  return readEditSettingsForAdmin(deps)
}
