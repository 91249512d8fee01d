// Object permissions of the user's profile. API: canReadObject(org, userId, objectName) → boolean;
// refuseUnreadableQuery(org, userId, soql) → the object name a query reads but the user may not, or undefined.
// Salesforce hides objects the profile cannot read: describe global leaves them out, their describe and rows are
// 404 NOT_FOUND, and SOQL on them is INVALID_TYPE "sObject type 'X' is not supported" (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm).
// The emulator models "Read" on Opportunity, which also governs its team members, and one switch for edit access
// to opportunities (the profile's "Edit" and the record's sharing together): without it, a create, update or
// delete of an opportunity is refused with INSUFFICIENT_ACCESS_OR_READONLY (canEditObject, refuseWrite).
import type { FastifyReply } from 'fastify'

import type { Org } from '../org/org.js'
import { sendError } from './errors.js'

const NEEDS_OPPORTUNITY_READ = new Set(['opportunity', 'opportunityteammember'])

export function canReadObject(org: Org, userId: string, objectName: string): boolean {
  if (!NEEDS_OPPORTUNITY_READ.has(objectName.toLowerCase())) return true
  return org.auth.users.get(userId)?.canReadOpportunities ?? false
}

export function canEditObject(org: Org, userId: string, objectName: string): boolean {
  if (objectName.toLowerCase() !== 'opportunity') return true
  return org.auth.users.get(userId)?.canEditOpportunities ?? false
}

/**
 * A write the user may not make: 400 INSUFFICIENT_ACCESS_OR_READONLY (a StatusCode of the SOAP API's core data
 * types, https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm,
 * in the REST error body of https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm;
 * the status 400 and the message "insufficient access rights on object id" are UNCONFIRMED for REST).
 */
export function refuseWrite(reply: FastifyReply): FastifyReply {
  return sendError(
    reply,
    400,
    'INSUFFICIENT_ACCESS_OR_READONLY',
    'insufficient access rights on object id',
    [],
  )
}

/**
 * The SOQL engine reads the org without knowing the user, so the query routes ask this first. It looks at the
 * FROM clause only (the emulator supports no subqueries, so there is one), which is enough for whole-object access.
 */
export function refuseUnreadableQuery(org: Org, userId: string, soql: string): string | undefined {
  const from = /\bfrom\s+([A-Za-z_][A-Za-z0-9_]*)/i.exec(soql)?.[1]
  return from && !canReadObject(org, userId, from) ? from : undefined
}
