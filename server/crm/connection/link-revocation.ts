// Revoking users' own Salesforce links after commit, for an admin's Disconnect of the org connection and for a
// deactivated workspace user (admin or SCIM), one path for both. Inside the caller's transaction the links
// leave crm_user_connections for crm_link_revocations (crm_forget_user_links: forgetConnectionLinks here, the
// users.is_active trigger for deactivation), and queueLinkRevocations inserts one pg-boss job per waiting
// link in that same transaction. After commit the job revokes the refresh token at Salesforce (which ends the
// access tokens issued from it), so no network call runs inside a transaction, and a stop or a crash leaves
// the row and its job to run on the next start. The tokens stay sealed in the table; the job carries only the
// row's id, and nothing logged or audited holds a token.
//
// Outcomes: revoked (or already invalid: Salesforce's 400 invalid_token) → audited, row deleted. Refused (any
// other 4xx, a host the outbound guard no longer allows, tokens that no longer open) → audited and logged
// once, row deleted, not retried. Transient (network, timeout, 5xx, 429) → pg-boss retries with backoff
// (REVOKE_RETRY_LIMIT); on the last attempt it is audited as failed and the row deleted.
import type { Job, JobWithMetadata } from 'pg-boss'
import { z } from 'zod'

import { recordAuditEvent } from '../../audit/audit.repository.js'
import type { AppDeps } from '../../deps.js'
import type { JobQueue } from '../../jobs/job-queue.js'
import { isSalesforceError } from '../../providers/salesforce/salesforce-errors.js'
import type { Db } from '../../storage/open-database.js'
import {
  deleteRevocation,
  findRevocation,
  forgetConnectionLinks,
  takeUnqueuedRevocations,
  type LinkRevocationRow,
} from './link-revocation.repository.js'
import { userLinkContext } from './secret-binding.js'

export const LINK_REVOCATION_QUEUE = 'crm-link-revocation'
/** With the queue's backoff (30 s, doubling), about two hours of attempts: 30 s, 1 min, 2 min … 64 min. */
export const REVOKE_RETRY_LIMIT = 8
const RevocationJob = z.object({ revocationId: z.uuid() })

/** Failures worth asking again: the network, a timeout, Salesforce's 5xx or 429. */
const TRANSIENT = new Set(['unreachable', 'timeout', 'server_error', 'request_limit_exceeded'])

type QueueDeps = Pick<AppDeps, 'clock'> & { jobs?: JobQueue | undefined }

/**
 * Inserts a revocation job for every waiting link that has none, inside `trx` (they exist only if it
 * commits). Without a job runtime the rows wait for the next start (startLinkRevocationJobs).
 */
export async function queueLinkRevocations(deps: QueueDeps, trx: Db): Promise<number> {
  if (!deps.jobs) return 0
  const ids = await takeUnqueuedRevocations(trx, deps.clock.now())
  await deps.jobs.insertWithin(
    trx,
    ids.map((id) => ({
      name: LINK_REVOCATION_QUEUE,
      data: { revocationId: id },
      singletonKey: id,
      retryLimit: REVOKE_RETRY_LIMIT,
    })),
  )
  return ids.length
}

/** An admin's Disconnect: every user's link of the connection, moved and queued in `trx`. */
export async function revokeConnectionLinks(deps: QueueDeps, trx: Db, connectionId: string): Promise<number> {
  const moved = await forgetConnectionLinks(trx, connectionId)
  await queueLinkRevocations(deps, trx)
  return moved
}

export type RevocationOutcome = 'revoked' | 'refused' | 'gave_up' | 'retrying' | 'gone'

/** The job: revokes one waiting link at Salesforce. `attempt` is pg-boss's count and limit of retries. */
export async function revokeWaitingLink(
  deps: AppDeps,
  revocationId: string,
  attempt: { retryCount: number; retryLimit: number },
): Promise<RevocationOutcome> {
  const row = await findRevocation(deps.db, revocationId)
  if (!row) return 'gone'
  let refreshToken: string
  try {
    refreshToken = (
      JSON.parse(deps.secrets.open(row.encrypted_tokens, userLinkContext(row))) as { refreshToken: string }
    ).refreshToken
  } catch {
    await finish(deps, row, 'refused', 'The stored tokens no longer open with this master key.')
    return 'refused'
  }
  try {
    await deps.crmProvider.revoke(row.instance_url, refreshToken)
  } catch (err) {
    const message = isSalesforceError(err) ? err.message : 'Unexpected error while revoking.'
    const transient = !isSalesforceError(err) || TRANSIENT.has(err.kind)
    if (transient && attempt.retryCount < attempt.retryLimit) {
      deps.log.warn(
        { revocationId, userId: row.user_id, attempt: attempt.retryCount + 1, reason: message },
        "revoking a user's Salesforce link failed; trying again later",
      )
      throw new Error(message)
    }
    await finish(deps, row, transient ? 'gave_up' : 'refused', message)
    return transient ? 'gave_up' : 'refused'
  }
  await finish(deps, row, 'revoked')
  return 'revoked'
}

async function finish(
  deps: AppDeps,
  row: LinkRevocationRow,
  outcome: 'revoked' | 'refused' | 'gave_up',
  error?: string,
): Promise<void> {
  if (outcome !== 'revoked') {
    deps.log.warn(
      { revocationId: row.id, userId: row.user_id, outcome, reason: error },
      "Salesforce did not revoke a user's link; revoke it in Salesforce Setup > Connected Apps OAuth Usage",
    )
  }
  await deps.db.transaction().execute(async (trx) => {
    await deleteRevocation(trx, row.id)
    await recordAuditEvent(trx, {
      actorUserId: null,
      action:
        outcome === 'revoked' ? 'crm.salesforce_account.revoked' : 'crm.salesforce_account.revoke_failed',
      targetType: 'user',
      targetId: row.user_id,
      details: {
        salesforceUserId: row.salesforce_user_id,
        connectionId: row.connection_id,
        reason: row.reason,
        outcome,
        ...(error ? { error } : {}),
      },
    })
  })
}

export interface RevocationJobOptions {
  /** How often workers look for jobs (pg-boss polling); tests use less. */
  pollingIntervalSeconds?: number
}

/** Creates the queue and its worker, and queues what waited while no job runtime ran. */
export async function startLinkRevocationJobs(
  deps: AppDeps,
  jobs: JobQueue,
  options: RevocationJobOptions = {},
): Promise<void> {
  const { boss } = jobs
  await boss.createQueue(LINK_REVOCATION_QUEUE)
  await boss.work(
    LINK_REVOCATION_QUEUE,
    { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1, includeMetadata: true },
    async ([job]: JobWithMetadata<unknown>[]) => {
      if (!job) return
      const parsed = RevocationJob.safeParse((job as Job<unknown>).data)
      if (!parsed.success) return deps.log.error({ jobId: job.id }, 'ignoring a malformed revocation job')
      await revokeWaitingLink(deps, parsed.data.revocationId, job)
    },
  )
  await deps.db.transaction().execute((trx) => queueLinkRevocations({ ...deps, jobs }, trx))
}
