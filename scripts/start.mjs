// `npm start` and friends: build whatever is missing, then run the compiled entry point.
import { spawnSync } from 'node:child_process'

const root = new URL('..', import.meta.url).pathname
const build = spawnSync(process.execPath, [`${root}scripts/build.mjs`, '--if-stale'], { stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)

// `--worker` and `--rotate-key` pick the other entry points (npm run worker, npm run crm:rotate-key).
const entry = process.argv.includes('--worker')
  ? 'worker.js'
  : process.argv.includes('--rotate-key')
    ? 'rotate-key.js'
    : 'main.js'
await import(`${root}dist/server/${entry}`)
