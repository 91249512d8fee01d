// Object permissions of the user's profile. API: canReadObject(org, userId, objectName) → boolean;
// refuseUnreadableQuery(org, userId, soql) → the object name a query reads but the user may not, or undefined.
// Salesforce hides objects the profile cannot read: describe global leaves them out, their describe and rows are
// 404 NOT_FOUND, and SOQL on them is INVALID_TYPE "sObject type 'X' is not supported" (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm).
// The emulator models one permission, "Read" on Opportunity, which also governs its team members.
import type { Org } from '../org/org.js'

const NEEDS_OPPORTUNITY_READ = new Set(['opportunity', 'opportunityteammember'])

export function canReadObject(org: Org, userId: string, objectName: string): boolean {
  if (!NEEDS_OPPORTUNITY_READ.has(objectName.toLowerCase())) return true
  return org.auth.users.get(userId)?.canReadOpportunities ?? false
}

/**
 * The SOQL engine reads the org without knowing the user, so the query routes ask this first. It looks at the
 * FROM clause only (the emulator supports no subqueries, so there is one), which is enough for whole-object access.
 */
export function refuseUnreadableQuery(org: Org, userId: string, soql: string): string | undefined {
  const from = /\bfrom\s+([A-Za-z_][A-Za-z0-9_]*)/i.exec(soql)?.[1]
  return from && !canReadObject(org, userId, from) ? from : undefined
}
