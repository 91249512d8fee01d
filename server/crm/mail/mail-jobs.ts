// The feed's background jobs on pg-boss: one job per immediate email (retried with backoff; a failure is
// logged and kept on the notification, never loses it), the daily digest at DIGEST_HOUR_UTC (a pg-boss cron
// schedule, UTC), and the hourly removal of orphan files. Before sending, each email asks again whether its
// recipient is active, can still see the deal and still wants email. A notification is emailed at most
// once: the sender claims it (or the person's day digest) in the database first (mail-claims.repository.ts),
// and a send that may have reached the server (connection lost after the message) is kept as sent.
import type { Job } from 'pg-boss'
import { z } from 'zod'

import type { AppDeps } from '../../deps.js'
import type { JobQueue } from '../../jobs/job-queue.js'
import { deleteOrphanFiles } from '../feed/orphan-files.repository.js'
import { digestMessage, immediateMessage } from './mail-content.js'
import { MAIL_QUEUE } from './mail-queue.js'
import { claimDigest, claimNotification, releaseClaims, releaseDigest } from './mail-claims.repository.js'
import {
  findDigestRecipients,
  findUnqueuedImmediate,
  markEmailed,
  markSkipped,
  readEmailable,
  readEmailableByIds,
  recordDigestSent,
  type EmailableRow,
} from './mail.repository.js'
import { failedSend, type Mailer, type OutgoingMail } from './mailer.js'
import { unsubscribeUrl } from './unsubscribe.js'

export const DIGEST_QUEUE = 'crm-mail-digest'
export const ORPHAN_FILES_QUEUE = 'crm-feed-orphan-files'
const DIGEST_MAX_ITEMS = 200
const MailJob = z.object({ notificationId: z.uuid() })

const opportunityUrl = (deps: AppDeps, id: string) =>
  `${deps.config.http.publicUrl}/portal/crm/opportunities/${encodeURIComponent(id)}`

function oneClick(url: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
}

/** Why this notification must not be emailed now, if so. */
function refusal(row: EmailableRow): string | undefined {
  if (!row.is_active) return 'deactivated'
  if (!row.can_see) return 'no_access'
  if (row.channel !== 'email') return 'email_turned_off'
  return undefined
}

/**
 * Sends claimed notifications. A refusal, or no connection at all, hands them back and throws (pg-boss
 * retries); a connection lost mid-session keeps them sent, as "delivery not confirmed", and does not throw:
 * the server may have the message, and a retry could deliver it twice.
 */
async function deliver(deps: AppDeps, mailer: Mailer, ids: string[], mail: OutgoingMail): Promise<void> {
  try {
    await mailer.send(mail)
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    if (failedSend(err) === 'unconfirmed') {
      await markEmailed(deps.db, ids, deps.clock.now(), `Delivery not confirmed: ${message}`)
      deps.log.warn({ err, notificationIds: ids }, 'notification email not confirmed; not sent again')
      return
    }
    await releaseClaims(deps.db, ids, message, deps.clock.now())
    deps.log.warn({ err, notificationIds: ids }, 'notification email failed; pg-boss retries it')
    throw err
  }
  await markEmailed(deps.db, ids, deps.clock.now())
}

export async function sendImmediate(deps: AppDeps, mailer: Mailer, notificationId: string): Promise<void> {
  // Emailed, skipped, or another worker is sending it: nothing to do.
  if (!(await claimNotification(deps.db, notificationId, deps.clock.now()))) return
  const mail = await beforeSending(deps, [notificationId], async () => {
    const row = await readEmailable(deps.db, notificationId)
    if (!row) return undefined
    const refused = refusal(row)
    if (refused) {
      await markSkipped(deps.db, [row.id], refused)
      return undefined
    }
    const unsubscribe = unsubscribeUrl(deps, row.user_id, row.kind)
    const content = immediateMessage(row, {
      opportunityUrl: opportunityUrl(deps, row.opportunity_id),
      unsubscribeUrl: unsubscribe,
    })
    return { to: row.email, ...content, headers: oneClick(unsubscribe) }
  })
  if (mail) await deliver(deps, mailer, [notificationId], mail)
}

/**
 * Runs what comes between the claim and the send (reading, checking, building the message). If it throws,
 * nothing went to the server: the claims are handed back before the error goes on, so the retry sends it.
 */
async function beforeSending<T>(deps: AppDeps, ids: string[], prepare: () => Promise<T>): Promise<T> {
  try {
    return await prepare()
  } catch (err) {
    await releaseClaims(deps.db, ids, err instanceof Error ? err.message : String(err), deps.clock.now())
    throw err
  }
}

/** The digest of the claimed items; undefined when none may be emailed (they are marked skipped). */
async function digestFor(
  deps: AppDeps,
  userId: string,
  claimed: string[],
): Promise<{ ids: string[]; mail: OutgoingMail } | undefined> {
  const items = await readEmailableByIds(deps.db, claimed)
  const refused = items.filter((row) => refusal(row) !== undefined)
  for (const row of refused) await markSkipped(deps.db, [row.id], refusal(row) ?? 'refused')
  const wanted = items.filter((row) => refusal(row) === undefined)
  const first = wanted[0]
  if (!first) return undefined
  const unsubscribe = unsubscribeUrl(deps, userId, 'digest')
  const content = digestMessage(
    wanted.map((row) => ({ row, opportunityUrl: opportunityUrl(deps, row.opportunity_id) })),
    unsubscribe,
  )
  const mail = { to: first.email, ...content, headers: oneClick(unsubscribe) }
  return { ids: wanted.map((row) => row.id), mail }
}

/** One digest per person per day with what is waiting; a digest taken by another run is skipped. */
export async function sendDigests(deps: AppDeps, mailer: Mailer): Promise<number> {
  const now = deps.clock.now()
  const day = now.toISOString().slice(0, 10)
  let sent = 0
  let failure: Error | undefined
  for (const userId of await findDigestRecipients(deps.db, now)) {
    const claim = { userId, day, before: now, at: deps.clock.now(), limit: DIGEST_MAX_ITEMS }
    const claimed = await claimDigest(deps.db, claim)
    if (!claimed) continue
    let prepared: { ids: string[]; mail: OutgoingMail } | undefined
    try {
      prepared = await beforeSending(deps, claimed, () => digestFor(deps, userId, claimed))
    } catch (err) {
      // Nothing was sent: the day's digest is free again for the retry, like its items.
      await releaseDigest(deps.db, userId, day)
      failure = err instanceof Error ? err : new Error(String(err))
      continue
    }
    if (!prepared) {
      await releaseDigest(deps.db, userId, day)
      continue
    }
    try {
      await deliver(deps, mailer, prepared.ids, prepared.mail)
      await recordDigestSent(deps.db, userId, day, deps.clock.now())
      sent += 1
    } catch (err) {
      // Not delivered: the day's digest is free again for the retry.
      await releaseDigest(deps.db, userId, day)
      failure = err instanceof Error ? err : new Error(String(err))
    }
  }
  // The others were sent; the job fails so pg-boss tries the failed ones again.
  if (failure) throw failure
  return sent
}

export interface FeedJobOptions {
  /** How often workers look for jobs (pg-boss polling); tests use less. */
  pollingIntervalSeconds?: number
}

/** Creates the queues, the schedules and the workers. */
export async function startFeedJobs(
  deps: AppDeps,
  jobs: JobQueue,
  mailer: Mailer | undefined,
  options: FeedJobOptions = {},
): Promise<void> {
  const { boss } = jobs
  const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 }
  for (const name of [MAIL_QUEUE, DIGEST_QUEUE, ORPHAN_FILES_QUEUE]) await boss.createQueue(name)
  await boss.schedule(ORPHAN_FILES_QUEUE, '17 * * * *', {}, { tz: 'UTC' })
  await boss.work(ORPHAN_FILES_QUEUE, polling, async () => {
    const before = new Date(deps.clock.now().getTime() - deps.config.feed.orphanFileHours * 3_600_000)
    const removed = await deleteOrphanFiles(deps.db, before)
    if (removed > 0) deps.log.info({ removed }, 'removed files uploaded but never attached to a post')
  })
  if (!mailer) return
  await boss.schedule(DIGEST_QUEUE, `0 ${deps.config.mail.digestHourUtc} * * *`, {}, { tz: 'UTC' })
  await boss.work(DIGEST_QUEUE, polling, async () => {
    await sendDigests(deps, mailer)
  })
  await boss.work(MAIL_QUEUE, { ...polling, batchSize: 1 }, async ([job]: Job<unknown>[]) => {
    const parsed = MailJob.safeParse(job?.data)
    if (!parsed.success) return deps.log.error({ jobId: job?.id }, 'ignoring a malformed mail job')
    await sendImmediate(deps, mailer, parsed.data.notificationId)
  })
  // Notifications written while no job runtime ran (email configured later, a test without jobs).
  const unqueued = await findUnqueuedImmediate(deps.db, deps.clock.now())
  await jobs.insertWithin(
    deps.db,
    unqueued.map((id) => ({ name: MAIL_QUEUE, data: { notificationId: id }, singletonKey: id })),
  )
}
