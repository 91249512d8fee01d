// A Node.js child process for the benchmarks (a server, a sync worker), keeping the last 4,000 characters of
// what it writes (pino logs to stdout) for the message of a failure.
import { spawn, type ChildProcess } from 'node:child_process'

export interface NodeChild {
  child: ChildProcess
  exited: Promise<unknown>
  output: () => string
}

export function spawnNode(args: string[], env: NodeJS.ProcessEnv): NodeChild {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000))
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise((resolve) => child.once('exit', resolve))
  return { child, exited, output: () => output }
}
