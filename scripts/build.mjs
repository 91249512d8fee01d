// Builds the server (tsc → dist/) and the web UI (vite → dist/web/).
// With --if-stale it only rebuilds a part whose sources are newer than its output, so `npm start`
// stays fast after `npm ci` (which already ran this through the `prepare` script).
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const ifStale = process.argv.includes('--if-stale')

function newestMtime(dirs) {
  let newest = 0
  const walk = (dir) => {
    if (!existsSync(dir)) return
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else newest = Math.max(newest, statSync(path).mtimeMs)
    }
  }
  for (const dir of dirs) walk(join(root, dir))
  return newest
}

function isStale(output, sources) {
  const outputPath = join(root, output)
  if (!existsSync(outputPath)) return true
  return newestMtime(sources) > statSync(outputPath).mtimeMs
}

function run(label, command, args) {
  const started = Date.now()
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    console.error(`build: ${label} failed`)
    process.exit(result.status ?? 1)
  }
  console.log(`build: ${label} done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

const bin = (name) => join(root, 'node_modules', '.bin', name)

if (!ifStale || isStale('dist/server/main.js', ['server', 'contracts', 'emulator', 'scripts'])) {
  run('server', bin('tsc'), ['-p', 'tsconfig.build.json'])
  // tsc copies no .proto files; the emulator's Pub/Sub server loads its service definition at start.
  cpSync(join(root, 'emulator/pubsub/pubsub_api.proto'), join(root, 'dist/emulator/pubsub/pubsub_api.proto'))
  // The connector's own copy, loaded by its Pub/Sub client.
  cpSync(
    join(root, 'server/providers/salesforce/pubsub/pubsub_api.proto'),
    join(root, 'dist/server/providers/salesforce/pubsub/pubsub_api.proto'),
  )
}
if (!ifStale || isStale('dist/web/index.html', ['web', 'contracts'])) {
  run('web', bin('vite'), ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'])
}
