// Runs the change-stream subscribers of this process. Exactly one subscriber per connection across all
// processes: each process tries a PostgreSQL advisory lock named after the connection every few seconds and
// runs the subscriber only while it holds it. An advisory lock rather than a pg-boss singleton job: the lock
// is tied to the holder's database connection, so PostgreSQL frees it the moment a killed process's socket
// closes and another process takes over at its next try (TICK_MS), while a pg-boss job of a dead process stays
// active until its expiry, and a subscriber is a stream that never ends, not a job.
import { hostname } from 'node:os'

import type { AppDeps } from '../../deps.js'
import type { ChangeStream } from '../../providers/crm-provider.js'
import type { NamedLocks } from '../../storage/advisory-locks.js'
import { findEnabledStreams, updateStream } from './cdc-streams.repository.js'
import { startSubscriber, type SubscriberOptions } from './cdc-subscriber.js'

export const TICK_MS = 5_000

/** How this process names itself in crm_cdc_streams.holder. */
export const HOLDER = `${hostname()}:${process.pid}`

export interface CdcRuntime {
  /** One pass: start subscribers for enabled connections whose lock this process gets, stop the others. */
  tick(): Promise<void>
  stop(): Promise<void>
}

export function startCdcRuntime(
  deps: AppDeps,
  locks: NamedLocks,
  options: SubscriberOptions & { tickMs?: number },
): CdcRuntime {
  const running = new Map<string, Promise<ChangeStream | undefined>>()
  const lockName = (connectionId: string) => `crm_cdc:${connectionId}`
  let stopped = false
  let timer: NodeJS.Timeout | undefined

  const stopOne = async (connectionId: string) => {
    const stream = running.get(connectionId)
    running.delete(connectionId)
    await (await stream)?.close()
    await locks.unlock(lockName(connectionId)).catch(() => undefined)
  }
  // The connection holding the locks is gone: another process may hold them by now.
  locks.onLost(() => {
    for (const connectionId of [...running.keys()]) void stopOne(connectionId)
  })

  let ticking: Promise<void> | undefined
  const pass = async () => {
    const enabled = new Set((await findEnabledStreams(deps.db)).map((row) => row.connection_id))
    for (const connectionId of [...running.keys()]) {
      if (!enabled.has(connectionId)) {
        await stopOne(connectionId)
        await updateStream(deps.db, connectionId, { state: 'off', state_at: deps.clock.now(), holder: null })
      }
    }
    for (const connectionId of enabled) {
      if (stopped || running.has(connectionId)) continue
      if (!(await locks.tryLock(lockName(connectionId)))) continue
      // Written before the subscriber's first state, so "connected" is never shown under the previous holder.
      await updateStream(deps.db, connectionId, { holder: HOLDER })
      const started = startSubscriber(deps, connectionId, options).catch(async (err: unknown) => {
        deps.log.warn({ err, connectionId }, 'the change stream could not start; trying again shortly')
        running.delete(connectionId)
        await locks.unlock(lockName(connectionId)).catch(() => undefined)
        return undefined
      })
      running.set(connectionId, started)
    }
  }
  const tick = () => {
    ticking ??= pass().finally(() => (ticking = undefined))
    return ticking
  }
  const loop = () => {
    tick()
      .catch((err: unknown) => deps.log.warn({ err }, 'change stream supervisor pass failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, options.tickMs ?? TICK_MS)
      })
  }
  loop()
  return {
    tick,
    stop: async () => {
      stopped = true
      clearTimeout(timer)
      await ticking?.catch(() => undefined)
      const ids = [...running.keys()]
      await Promise.all(ids.map((id) => stopOne(id)))
      // This process no longer streams; another one may take over and say so.
      for (const id of ids)
        await updateStream(deps.db, id, { state: 'off', state_at: deps.clock.now(), holder: null })
    },
  }
}
