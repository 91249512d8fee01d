// SCIM errors (RFC 7644 §3.12): scimmy's error type, which its own parsing and PATCH code throws, carries the
// HTTP status and the scimType keyword; the SCIM routes turn it into the SCIM error body.
import { SCIMError } from 'scimmy/types'

export { SCIMError }

export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'

export function scimError(status: number, scimType: ScimType | null, detail: string): SCIMError {
  return new SCIMError(status, scimType as string, detail)
}
