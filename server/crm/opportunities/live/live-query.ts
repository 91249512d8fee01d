// The CRM side of live reads: the connection's session (crm-session.ts: stored token, sign-in again on 401,
// outbound guard), the field list the integration user may read, and SOQL calls whose failures become one
// clear AppError (CRM_UNAVAILABLE, 503) instead of a 500.
import type { AppDeps } from '../../../deps.js'
import { AppError } from '../../../errors.js'
import type { CrmSession, FieldPlan, OpportunityRecord } from '../../../providers/crm-provider.js'
import { toSalesforceError } from '../../../providers/salesforce/salesforce-api.js'
import { ConnectionUnavailableError, openCrmSession } from '../../connection/crm-session.js'
import { readExtraFields } from '../../sync/sync-runs.repository.js'

export interface LiveSource {
  connectionId: string
  instanceUrl: string | null
  /** Every standard and extra field the integration user can read (the sync's full plan). */
  plan: FieldPlan
  /** Runs one SOQL statement (deleted records excluded) and returns every row. */
  query(soql: string): Promise<{ totalSize: number; records: Array<Record<string, unknown>> }>
  /** A row `query` returned, in our terms (throws MalformedRecordError). */
  toRecord(record: Record<string, unknown>, plan: FieldPlan): OpportunityRecord
}

// describe costs one API call; the visible fields change rarely, so each process asks every 10 minutes
// (and again at once when a query names a field that has disappeared).
const PLAN_TTL_MS = 10 * 60_000
const plans = new Map<string, { plan: FieldPlan; key: string; expiresAt: number }>()

export async function openLiveSource(deps: AppDeps, connectionId: string): Promise<LiveSource> {
  const session = await translated(deps, () => openCrmSession(deps, connectionId))
  const client = session.client
  const plan = await translated(deps, () => opportunityFieldPlan(deps, connectionId, client))
  return {
    connectionId,
    instanceUrl: session.connection.instance_url,
    plan,
    query: (soql) =>
      translated(deps, () => client.query(soql)).catch((err: unknown) => {
        plans.delete(connectionId)
        throw err
      }),
    toRecord: (record, recordPlan) => client.toOpportunityRecord(record, recordPlan),
  }
}

/** The sync's full field plan for a connection (describe memoised per process); portal edits read back with it. */
export async function opportunityFieldPlan(
  deps: AppDeps,
  connectionId: string,
  client: CrmSession,
): Promise<FieldPlan> {
  const extra = (await readExtraFields(deps.db, connectionId)) ?? []
  const key = extra.join(',')
  const now = deps.clock.now().getTime()
  const memo = plans.get(connectionId)
  if (memo && memo.key === key && memo.expiresAt > now) return memo.plan
  const describe = await client.describeOpportunity()
  const plan = client.planOpportunityFields(describe.fields, extra)
  plans.set(connectionId, { plan, key, expiresAt: now + PLAN_TTL_MS })
  return plan
}

const CACHE_HINT =
  'With "Cache data locally" on (Module Settings > Setup), the portal keeps working while Salesforce is unavailable.'

async function translated<T>(deps: AppDeps, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (err instanceof AppError) throw err
    if (err instanceof ConnectionUnavailableError) {
      throw new AppError(
        'CRM_UNAVAILABLE',
        `Opportunities are read live from Salesforce, but ${lowerFirst(err.message)} ${err.hint}`,
      )
    }
    const error = toSalesforceError(err)
    if (error.kind === 'bad_response' && /incomplete or malformed answer/.test(error.message)) {
      // A truncated answer (jsforce hands back the raw text when a JSON body does not parse).
      throw new AppError(
        'CRM_UNAVAILABLE',
        'Salesforce sent an incomplete answer to a live read. Reload the page to try again.',
      )
    }
    deps.log.warn({ kind: error.kind, salesforceCode: error.salesforceCode }, 'live Salesforce read failed')
    if (error.kind === 'request_limit_exceeded') {
      throw new AppError(
        'CRM_UNAVAILABLE',
        `Salesforce refused the live read: the org's daily API request limit is used up. Try again later. ${CACHE_HINT}`,
      )
    }
    throw new AppError(
      'CRM_UNAVAILABLE',
      `Salesforce could not answer the live read (${error.message}). Try again in a few minutes. ${CACHE_HINT}`,
    )
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}
