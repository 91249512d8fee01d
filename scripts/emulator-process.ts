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
  /** host:port of the Pub/Sub API (gRPC over TLS). */
  pubSubEndpoint: string
  /** Where the control API serves the Pub/Sub API's certificate (PEM). */
  pubSubCertificate: string
}

export interface EmulatorProcessOptions {
  seed?: number
  /** Extra Node.js flags for the emulator (e.g. --cpu-prof). */
  nodeArgs?: string[]
}

export async function startEmulatorProcess(count: number, options: EmulatorProcessOptions = {}) {
  // Compiled (npm run bench:sync) the emulator runs compiled too; from source (tsx) it runs from source.
  const compiled = import.meta.url.endsWith('.js')
  const entry = compiled
    ? [new URL('../emulator/main.js', import.meta.url).pathname]
    : ['--import', 'tsx', new URL('../emulator/main.ts', import.meta.url).pathname]
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      ...entry,
      '--port',
      '0',
      '--opportunities',
      String(count),
      '--seed',
      String(options.seed ?? 1),
    ],
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
    pubSubEndpoint: ready.pubSubEndpoint,
    /** The Pub/Sub API's certificate (PEM), for clients that verify it. */
    pubSubCertificatePem: async () => {
      const response = await fetch(ready.pubSubCertificate)
      if (!response.ok) throw new Error(`the emulator's certificate: ${response.status}`)
      return response.text()
    },
    control: createControlClient(ready.url),
    pid: child.pid,
    close: () => child.kill('SIGTERM'),
    /** Stops the emulator and waits until it has exited. */
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
}

export type EmulatorProcess = Awaited<ReturnType<typeof startEmulatorProcess>>
