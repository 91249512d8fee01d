// Editing opportunities from the portal, written back to Salesforce. A member edits the allowed fields of an
// opportunity assigned to them (admins: any), conditional on the version they saw (`lastModifiedDate`): if
// someone changed the record in Salesforce since, the answer is 409 EDIT_CONFLICT with both values per field.
// Salesforce's refusals (validation rules, read-only fields, bad picklist values) are 422 CRM_REJECTED with
// Salesforce's message on the field it names (`fields`, keyed by the field's API name).
import { z } from 'zod'

import { defineEndpoint } from './endpoint.js'
import { OpportunityDetailSchema, OpportunityIdParams } from './opportunities.api.js'

/** A Salesforce field's API name (custom fields end in __c). */
export const FieldNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, 'Not a Salesforce field name.')

/** A value as Salesforce takes it: text (dates as YYYY-MM-DD), a number, a checkbox, or null to clear. */
export const EditValueSchema = z.union([z.string().max(32_000), z.number().finite(), z.boolean(), z.null()])
export type EditValue = z.infer<typeof EditValueSchema>

export const EditOpportunityBodySchema = z.strictObject({
  /** A fresh UUID per edit the user makes: a double submit with the same key writes once, same answer. */
  idempotencyKey: z.uuid('Use a UUID as the idempotency key.'),
  /** The record's lastModifiedDate the user saw; the write is refused (409) if Salesforce has a newer one. */
  lastModifiedDate: z.iso.datetime({ offset: true, message: 'Use the lastModifiedDate of the record.' }),
  /** Only the fields that change. */
  values: z
    .record(FieldNameSchema, EditValueSchema)
    .refine((values) => Object.keys(values).length > 0, 'Change at least one field.')
    .refine((values) => Object.keys(values).length <= 20, 'Change at most 20 fields at once.'),
})
export type EditOpportunityBody = z.infer<typeof EditOpportunityBodySchema>

/** `details` of a 409 EDIT_CONFLICT: each field the user changed, with their value and Salesforce's now. */
export const EditConflictSchema = z.object({
  fields: z.array(z.object({ field: z.string(), ours: EditValueSchema, theirs: EditValueSchema })),
  /** Salesforce's version now: send it as lastModifiedDate to re-apply "mine". */
  lastModifiedDate: z.string(),
  /** Who changed it in Salesforce (their name as Salesforce shows it). */
  lastModifiedByName: z.string().nullable(),
})
export type EditConflict = z.infer<typeof EditConflictSchema>

export const editOpportunity = defineEndpoint({
  method: 'PATCH',
  path: '/api/crm/opportunities/:id',
  access: 'user',
  tag: 'opportunities',
  summary:
    'Edit fields of an opportunity in Salesforce (404 unless assigned; 403 EDITS_DISABLED; 409 EDIT_CONFLICT; 422 CRM_REJECTED; 503 CRM_UNAVAILABLE)',
  params: OpportunityIdParams,
  body: EditOpportunityBodySchema,
  response: z.object({
    /** The record as Salesforce has it after the write (the cache row is already updated from it). */
    opportunity: OpportunityDetailSchema,
    changed: z.array(z.string()),
  }),
})

export const WhoMayEditSchema = z.enum(['members', 'admins'])
export type WhoMayEdit = z.infer<typeof WhoMayEditSchema>

/** A field the portal can offer, as describe shows it to the integration user. */
export const EditableFieldSchema = z.object({
  name: z.string(),
  label: z.string(),
  /** Salesforce's type: picklist, currency, date, percent, double, string, textarea, boolean, ... */
  type: z.string(),
  nillable: z.boolean(),
  /** Active values in the org's order (picklists only). */
  picklistValues: z.array(z.object({ value: z.string(), label: z.string() })),
})
export type EditableField = z.infer<typeof EditableFieldSchema>

export const getEditOptions = defineEndpoint({
  method: 'GET',
  path: '/api/crm/edit-options',
  access: 'user',
  tag: 'opportunities',
  summary: 'Whether the signed-in user may edit opportunities from the portal, and which fields',
  response: z.object({
    canEdit: z.boolean(),
    /** Why not, in words for the user (null when canEdit). */
    reason: z.string().nullable(),
    fields: z.array(EditableFieldSchema),
  }),
})

const editSettingsFields = {
  /** "Allow edits from the portal": off by default. */
  allowEdits: z.boolean(),
  /** Salesforce API names, in the order the detail page shows them. */
  editableFields: z.array(FieldNameSchema).max(50, 'Offer at most 50 fields.'),
  /** members: the people on a deal (and admins); admins: admins only. */
  whoMayEdit: WhoMayEditSchema,
}
export const EditSettingsSchema = z.object(editSettingsFields)
export type EditSettings = z.infer<typeof EditSettingsSchema>

/** Every field of the opportunity as describe shows it, and whether the portal can offer it. */
export const EditSettingsFieldSchema = z.object({
  name: z.string(),
  label: z.string(),
  type: z.string(),
  custom: z.boolean(),
  /** Why it cannot be offered (read only for the integration user, a formula, a system field); null if it can. */
  notOfferedBecause: z.string().nullable(),
})
export type EditSettingsField = z.infer<typeof EditSettingsFieldSchema>

const EditSettingsResponse = z.object({
  settings: EditSettingsSchema,
  /** From describe; empty with `fieldsUnavailable` set when Salesforce could not be asked. */
  fields: z.array(EditSettingsFieldSchema),
  fieldsUnavailable: z.string().nullable(),
})

export const getEditSettings = defineEndpoint({
  method: 'GET',
  path: '/api/admin/crm/edit-settings',
  access: 'admin',
  tag: 'opportunities',
  summary: 'Portal edit settings (on/off, fields, who) and the fields describe offers',
  response: EditSettingsResponse,
})

export const updateEditSettings = defineEndpoint({
  method: 'PUT',
  path: '/api/admin/crm/edit-settings',
  access: 'admin',
  tag: 'opportunities',
  summary: 'Save the portal edit settings; a new field must be updateable for the integration user (400)',
  body: z.strictObject(editSettingsFields),
  response: EditSettingsResponse,
})
