// What identity providers actually send, made standard before validation. Microsoft Entra ID (without the
// aadOptscim062020 flag) sends booleans as the strings "True"/"False" and capitalised PATCH op names; op names
// are matched case-insensitively by scimmy, booleans are converted here. See Microsoft's "Known issues and
// resolutions with SCIM 2.0 protocol compliance of the Azure AD User Provisioning service"
// (https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility).
// Entra ID also sets the Enterprise extension's manager, a complex attribute (RFC 7643 §4.3), with the
// manager's id as a plain string value ("Update user [Add manager]" in Microsoft's SCIM tutorial), and
// names group members as { "$ref": null, "value": id }: only the value identifies a member, so member values
// are reduced to it before they are compared with the stored ones.
import type { ScimJson } from './scim-schemas.js'

function asBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value
  if (/^true$/i.test(value)) return true
  if (/^false$/i.test(value)) return false
  return value
}

function withBooleans(resource: ScimJson): ScimJson {
  const out: ScimJson = { ...resource }
  for (const key of Object.keys(out)) {
    if (key.toLowerCase() === 'active') out[key] = asBoolean(out[key])
  }
  for (const key of ['emails', 'phoneNumbers', 'addresses'] as const) {
    const list = out[key]
    if (Array.isArray(list)) {
      out[key] = list.map((item: unknown) =>
        item && typeof item === 'object' && 'primary' in item
          ? { ...item, primary: asBoolean(item.primary) }
          : item,
      )
    }
  }
  return out
}

/** A User or Group body (POST, PUT) with the known quirks undone. */
export function normaliseResource(body: unknown): unknown {
  return body && typeof body === 'object' && !Array.isArray(body) ? withBooleans(body as ScimJson) : body
}

/** A PatchOp body with the known quirks undone: "active": "False" on its own or inside a value object. */
export function normalisePatch(body: unknown): unknown {
  if (!body || typeof body !== 'object' || !('Operations' in body) || !Array.isArray(body.Operations))
    return body
  const operations = (body.Operations as unknown[]).map((operation) => {
    if (!operation || typeof operation !== 'object') return operation
    const op = operation as ScimJson
    const path = typeof op['path'] === 'string' ? op['path'].trim().toLowerCase() : undefined
    if (path === 'active' || path?.endsWith('.primary')) return { ...op, value: asBoolean(op['value']) }
    if (path?.endsWith(':manager') && typeof op['value'] === 'string')
      return { ...op, value: { value: op['value'] } }
    if (path === 'members' && Array.isArray(op['value'])) {
      const members = op['value'] as unknown[]
      return {
        ...op,
        value: members.map((member) =>
          member && typeof member === 'object' && 'value' in member ? { value: member.value } : member,
        ),
      }
    }
    if (path === undefined && op['value'] && typeof op['value'] === 'object' && !Array.isArray(op['value'])) {
      return { ...op, value: withBooleans(op['value'] as ScimJson) }
    }
    return op
  })
  return { ...body, Operations: operations }
}
