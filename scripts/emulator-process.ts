// The emulator in a process of its own, for the benchmarks: the figures they report are then the module's
// alone (memory, CPU). Prints EMULATOR_READY <json> when listening (emulator/main.ts).
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

import { createControlClient } from '../emulator/control-client.js'

interface EmulatorReady {
  url: string
  username: string
  password: string
  securityToken: string
  consumerKey: string
  consumerSecret: string
}

export async function startEmulatorProcess(count: number) {
  // Compiled (npm run bench:sync) the emulator runs compiled too; from source (tsx) it runs from source.
  const compiled = import.meta.url.endsWith('.js')
  const entry = compiled
    ? [new URL('../emulator/main.js', import.meta.url).pathname]
    : ['--import', 'tsx', new URL('../emulator/main.ts', import.meta.url).pathname]
  const child = spawn(
    process.execPath,
    [...entry, '--port', '0', '--opportunities', String(count), '--seed', '1'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  // A bench that fails must not leave a 1,000,000-record emulator running.
  process.once('exit', () => child.kill('SIGTERM'))
  const lines = createInterface({ input: child.stdout })
  const ready = await new Promise<EmulatorReady>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith('EMULATOR_READY '))
        resolve(JSON.parse(line.slice('EMULATOR_READY '.length)) as EmulatorReady)
    })
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}`)))
  })
  return {
    url: ready.url,
    credentials: ready,
    control: createControlClient(ready.url),
    close: () => child.kill('SIGTERM'),
  }
}

export type EmulatorProcess = Awaited<ReturnType<typeof startEmulatorProcess>>
