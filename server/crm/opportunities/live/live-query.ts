// The Salesforce side of live reads: the connection's jsforce session (salesforce-session.ts: stored token,
// sign-in again on 401, outbound guard), the field list the integration user may read, and SOQL calls whose
// failures become one clear AppError (CRM_UNAVAILABLE, 503) instead of a 500.
import type { Connection } from '@jsforce/jsforce-node'

import type { AppDeps } from '../../../deps.js'
import { AppError } from '../../../errors.js'
import { toSalesforceError } from '../../../providers/salesforce/salesforce-api.js'
import { ConnectionUnavailableError, openSalesforceSession } from '../../connection/salesforce-session.js'
import { planFields, type FieldPlan, type SalesforceRecord } from '../../sync/opportunity-fields.js'

interface QueryResult {
  totalSize: number
  done: boolean
  nextRecordsUrl?: string
  records: SalesforceRecord[]
}

export interface LiveSource {
  connectionId: string
  instanceUrl: string | null
  /** Every standard and extra field the integration user can read (the sync's full plan). */
  plan: FieldPlan
  /** Runs one SOQL statement through /query (deleted records excluded) and returns every row. */
  query(soql: string): Promise<QueryResult>
}

// describe costs one API call; the visible fields change rarely, so each process asks every 10 minutes
// (and again at once when a query names a field that has disappeared).
const PLAN_TTL_MS = 10 * 60_000
const plans = new Map<string, { plan: FieldPlan; key: string; expiresAt: number }>()

export async function openLiveSource(deps: AppDeps, connectionId: string): Promise<LiveSource> {
  const session = await translated(deps, () => openSalesforceSession(deps, connectionId, { maxRetries: 0 }))
  const api = session.api
  const base = `/services/data/v${deps.config.crm.apiVersion}`
  const plan = await fieldPlan(deps, connectionId, api)
  return {
    connectionId,
    instanceUrl: session.connection.instance_url,
    plan,
    query: (soql) =>
      translated(deps, async () => {
        const first = await api.request<QueryResult>(`${base}/query?q=${encodeURIComponent(soql)}`)
        const result = checked(first)
        // Live statements ask for at most a page (or 300 ids) of rows, so this loop rarely runs.
        let next = result
        while (!next.done && next.nextRecordsUrl) {
          next = checked(await api.request<QueryResult>(next.nextRecordsUrl))
          result.records.push(...next.records)
        }
        return result
      }).catch((err: unknown) => {
        plans.delete(connectionId)
        throw err
      }),
  }
}

async function fieldPlan(deps: AppDeps, connectionId: string, api: Connection): Promise<FieldPlan> {
  const state = await deps.db
    .selectFrom('crm_sync_state')
    .select('extra_fields')
    .where('connection_id', '=', connectionId)
    .executeTakeFirst()
  const extra = state?.extra_fields ?? []
  const key = extra.join(',')
  const now = deps.clock.now().getTime()
  const memo = plans.get(connectionId)
  if (memo && memo.key === key && memo.expiresAt > now) return memo.plan
  const describe = await translated(deps, () => api.sobject('Opportunity').describe())
  const plan = planFields(new Set(describe.fields.map((field) => field.name)), extra)
  plans.set(connectionId, { plan, key, expiresAt: now + PLAN_TTL_MS })
  return plan
}

function checked(body: QueryResult | string): QueryResult {
  // jsforce hands back the raw text when a JSON body does not parse (a truncated answer): never trust it.
  if (typeof body !== 'object' || !Array.isArray(body.records)) {
    throw new AppError(
      'CRM_UNAVAILABLE',
      'Salesforce sent an incomplete answer to a live read. Reload the page to try again.',
    )
  }
  return body
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
