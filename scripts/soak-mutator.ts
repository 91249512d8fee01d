// What other Salesforce users do while the soak's sync runs: every second a few opportunities change (Amount,
// through the emulator's control API, so SystemModstamp moves) and a few go to the recycle bin.
import type { RunningEmulator } from '../emulator/start-emulator.js'

const EVERY_MS = 1000
const EDIT_PERCENT = 0.02
const DELETES_PER_TICK = 3

export interface Mutator {
  stop: () => Promise<void>
  counts: () => { edited: number; deleted: number; ticks: number }
}

export function createMutator(emulator: RunningEmulator, random: () => number): Mutator {
  let edited = 0
  let deleted = 0
  let ticks = 0
  let stopped = false
  const tick = async () => {
    const mutated = await emulator.control.mutateOpportunities({
      percent: EDIT_PERCENT,
      seed: Math.floor(random() * 1_000_000),
    })
    edited += mutated.changed
    const live = [...emulator.org.records.allRecords('Opportunity')].filter((r) => r['IsDeleted'] !== true)
    for (let i = 0; i < DELETES_PER_TICK && live.length > 0; i += 1) {
      const record = live[Math.floor(random() * live.length)]!
      if (await emulator.control.recordAction('Opportunity', String(record['Id']), 'delete')) deleted += 1
    }
    ticks += 1
  }
  const loop = (async () => {
    while (!stopped) {
      await tick()
      await new Promise((resolve) => setTimeout(resolve, EVERY_MS))
    }
  })()
  return {
    stop: async () => {
      stopped = true
      await loop
    },
    counts: () => ({ edited, deleted, ticks }),
  }
}
