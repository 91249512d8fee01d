// The SCIM schemas this server speaks (RFC 7643 §4 and §8.7.1), as scimmy defines them: core User with the
// Enterprise User extension (Entra ID sends department, employeeNumber, manager...), and core Group. scimmy
// keeps schema definitions process-wide, so the extension is added once, on first use.
import SCIMMY from 'scimmy'

import { scimError } from './scim-error.js'

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group'
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error'

let isExtended = false

function userSchema(): typeof SCIMMY.Schemas.User {
  if (!isExtended) {
    // scimmy's typings want an instance here; at run time (and in its docs) it takes the schema class.
    SCIMMY.Schemas.User.extend(SCIMMY.Schemas.EnterpriseUser as unknown as SCIMMY.Types.Schema, false)
    isExtended = true
  }
  return SCIMMY.Schemas.User
}

export type ScimJson = Record<string, unknown>

/**
 * Validates a resource against its schema the way RFC 7643 §2 describes: types, required attributes, and
 * read-only ones (id, meta, groups) dropped from input. Returns it as plain JSON.
 */
export function validateResource(kind: 'User' | 'Group', body: unknown, direction: 'in' | 'out'): ScimJson {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw scimError(400, 'invalidSyntax', `The request body must be a SCIM ${kind} object.`)
  }
  try {
    const instance =
      kind === 'User' ? new (userSchema())(body, direction) : new SCIMMY.Schemas.Group(body, direction)
    return JSON.parse(JSON.stringify(instance)) as ScimJson
  } catch (err) {
    if (err instanceof Error && 'scimType' in err) throw err
    throw scimError(400, 'invalidValue', err instanceof Error ? err.message : String(err))
  }
}

/** Applies a PatchOp message (RFC 7644 §3.5.2) to a resource; returns the patched resource as plain JSON. */
export async function applyPatch(
  kind: 'User' | 'Group',
  resource: ScimJson,
  message: unknown,
): Promise<ScimJson> {
  let patch: SCIMMY.Messages.PatchOp
  try {
    patch = new SCIMMY.Messages.PatchOp(message as ConstructorParameters<typeof SCIMMY.Messages.PatchOp>[0])
  } catch (err) {
    if (err instanceof Error && 'scimType' in err) throw err
    throw scimError(400, 'invalidSyntax', err instanceof Error ? err.message : String(err))
  }
  const instance =
    kind === 'User' ? new (userSchema())(resource, 'out') : new SCIMMY.Schemas.Group(resource, 'out')
  try {
    const patched = await patch.apply(instance, async (result) => result)
    return JSON.parse(JSON.stringify(patched ?? instance)) as ScimJson
  } catch (err) {
    if (err instanceof Error && 'scimType' in err) throw err
    throw scimError(400, 'invalidValue', err instanceof Error ? err.message : String(err))
  }
}

/** The schema descriptions of GET /Schemas (RFC 7644 §4). */
export function describeSchemas(basepath: string): ScimJson[] {
  const described: SCIMMY.Types.SchemaDefinition.SchemaDescription[] = [
    userSchema().definition.describe(`${basepath}/Schemas`),
    SCIMMY.Schemas.EnterpriseUser.definition.describe(`${basepath}/Schemas`),
    SCIMMY.Schemas.Group.definition.describe(`${basepath}/Schemas`),
  ]
  return described.map((schema) => ({ ...schema }))
}
