// A bench admin and the emulator's connection saved through the real Setup path (saveConnectionSettings), for
// the scripts that sync from the emulator (bench:sync, bench:freshness, soak:sync).
import { randomBytes } from 'node:crypto'

import type { EmulatorCredentials } from '../emulator/start-emulator.js'
import { saveConnectionSettings } from '../server/crm/connection/connection.service.js'
import type { AppDeps } from '../server/deps.js'
import { emulatorSetupForm } from './emulator-setup-form.js'

/**
 * Creates an admin named `name` (a fresh email each time, so a database kept from an earlier run takes another)
 * and saves the emulator's connection as that admin; throws with Setup's report if Setup refuses it.
 */
export async function connectEmulatorAsAdmin(
  deps: AppDeps,
  emulator: { url: string; credentials: EmulatorCredentials },
  name: string,
): Promise<{ adminId: string; connectionId: string }> {
  const admin = await deps.db
    .insertInto('users')
    .values({ name, email: `bench-${randomBytes(4).toString('hex')}@example.com`, role: 'admin' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const saved = await saveConnectionSettings(
    deps,
    admin.id,
    emulatorSetupForm(emulator.url, emulator.credentials),
  )
  if (!saved.saved || !saved.connection)
    throw new Error(`Setup refused the emulator's connection: ${JSON.stringify(saved.report)}`)
  return { adminId: admin.id, connectionId: saved.connection.id }
}
