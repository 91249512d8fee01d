// `npm start` / `npm run worker`: build whatever is missing, then run the compiled entry point.
import { spawnSync } from 'node:child_process'

const root = new URL('..', import.meta.url).pathname
const build = spawnSync(process.execPath, [`${root}scripts/build.mjs`, '--if-stale'], { stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)

const entry = process.argv.includes('--worker') ? 'worker.js' : 'main.js'
await import(`${root}dist/server/${entry}`)
