// The CRM side of live reads: the connection's session (crm-session.ts: stored token, sign-in again on 401,
// outbound guard), the field list the integration user may read, and SOQL calls whose failures become one
// clear AppError (CRM_UNAVAILABLE, 503) instead of a 500. Who reads decides how much that error says: an
// admin gets the cause (Salesforce's message, the connection's status), a member a neutral sentence that an
// admin can act on, never an upstream message or an internal URL (OWASP ASVS 4.0 V7.4.1, "Error Handling":
// https://github.com/OWASP/ASVS/blob/v4.0.3/4.0/en/0x15-V7-Error-Logging.md).
import type { AppDeps } from '../../../deps.js'
import { AppError } from '../../../errors.js'
import type { CrmSession, FieldPlan, OpportunityRecord } from '../../../providers/crm-provider.js'
import { toSalesforceError } from '../../../providers/salesforce/salesforce-api.js'
import { ConnectionUnavailableError, openCrmSession } from '../../connection/crm-session.js'
import { readExtraFields } from '../../sync/sync-runs.repository.js'

/** Who the live read is for: members are told that something is wrong, admins also what. */
export type LiveAudience = 'admin' | 'member'

export interface LiveSource {
  connectionId: string
  audience: LiveAudience
  instanceUrl: string | null
  /** Every standard and extra field the integration user can read (the sync's full plan). */
  plan: FieldPlan
  /** The org's corporate currency (Organization.DefaultCurrencyIsoCode), asked once per plan lifetime. */
  corporateCurrency(): Promise<string | null>
  /** Runs one SOQL statement (deleted records excluded) and returns every row. */
  query(soql: string): Promise<{ totalSize: number; records: Array<Record<string, unknown>> }>
  /** A row `query` returned, in our terms (throws MalformedRecordError). */
  toRecord(record: Record<string, unknown>, plan: FieldPlan): OpportunityRecord
}

// describe costs one API call; the visible fields change rarely, so each process asks every 10 minutes
// (and again at once when a query names a field that has disappeared).
const PLAN_TTL_MS = 10 * 60_000
const plans = new Map<
  string,
  { plan: FieldPlan; key: string; expiresAt: number; corporate?: string | null }
>()

export async function openLiveSource(
  deps: AppDeps,
  connectionId: string,
  audience: LiveAudience,
): Promise<LiveSource> {
  const session = await translated(deps, audience, () => openCrmSession(deps, connectionId))
  const client = session.client
  const plan = await translated(deps, audience, () => opportunityFieldPlan(deps, connectionId, client))
  return {
    connectionId,
    audience,
    instanceUrl: session.connection.instance_url,
    plan,
    query: (soql) =>
      translated(deps, audience, () => client.query(soql)).catch((err: unknown) => {
        plans.delete(connectionId)
        throw err
      }),
    corporateCurrency: () =>
      translated(deps, audience, () => corporateCurrencyOf(connectionId, client, plan)),
    toRecord: (record, recordPlan) => client.toOpportunityRecord(record, recordPlan),
  }
}

/** A single-currency plan already carries it; a multi-currency org is asked once per describe (memo below). */
async function corporateCurrencyOf(
  connectionId: string,
  client: CrmSession,
  plan: FieldPlan,
): Promise<string | null> {
  if (plan.defaultCurrency) return plan.defaultCurrency
  const memo = plans.get(connectionId)
  if (memo?.corporate !== undefined) return memo.corporate
  const code = await client.corporateCurrency()
  if (memo) memo.corporate = code
  return code
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
  // A single-currency org's records carry no CurrencyIsoCode: they get the corporate currency instead.
  const defaultCurrency = describe.fields.has('CurrencyIsoCode') ? null : await client.corporateCurrency()
  const plan = client.planOpportunityFields(describe.fields, extra, { defaultCurrency })
  plans.set(connectionId, { plan, key, expiresAt: now + PLAN_TTL_MS })
  return plan
}

const CACHE_HINT =
  'With "Cache data locally" on (Module Settings > Setup), the portal keeps working while Salesforce is unavailable.'

const MEMBER_MESSAGE =
  'Opportunities are read live from Salesforce, which cannot answer right now. Try again in a few minutes; ' +
  'if this keeps happening, tell an admin: All Opportunities and Module Settings > Setup show them the cause.'

/**
 * The 503 of a failed live read: `adminMessage` (the cause, in Salesforce's words where it has some) for an
 * admin; for a member the neutral message, the cause only in the server log.
 */
export function liveUnavailable(audience: LiveAudience, adminMessage: string): AppError {
  return new AppError('CRM_UNAVAILABLE', audience === 'admin' ? adminMessage : MEMBER_MESSAGE)
}

async function translated<T>(deps: AppDeps, audience: LiveAudience, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (err instanceof AppError) throw err
    if (err instanceof ConnectionUnavailableError) {
      throw liveUnavailable(
        audience,
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
    deps.log.warn(
      { kind: error.kind, salesforceCode: error.salesforceCode, cause: error.message },
      'live Salesforce read failed',
    )
    if (error.kind === 'request_limit_exceeded') {
      throw liveUnavailable(
        audience,
        `Salesforce refused the live read: the org's daily API request limit is used up. Try again later. ${CACHE_HINT}`,
      )
    }
    throw liveUnavailable(
      audience,
      `Salesforce could not answer the live read (${error.message}). Try again in a few minutes. ${CACHE_HINT}`,
    )
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}
