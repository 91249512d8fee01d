// `npm run demo`: the whole module in one command. Starts the Salesforce emulator with about 2,000
// opportunities, prepares the app's database (a demo admin and members, CRM enabled, automatic assignment on),
// connects it to the emulator through the real Setup path (the same test, encrypted storage and sync as a real
// org), then starts the server, which runs the initial sync by itself. Honours PORT and DATA_DIR.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

import pino from 'pino'

import { hashPassword } from '../server/auth/password.js'
import { loadConfig } from '../server/config.js'
import { saveConnectionSettings } from '../server/crm/connection/connection.service.js'
import { writeAutoAssign } from '../server/crm/members/assignment-settings.repository.js'
import { setModuleEnabledRow } from '../server/modules/modules.repository.js'
import { assembleDeps } from '../server/deps.js'
import { migrateToLatest } from '../server/storage/migrate.js'
import { openDatabase } from '../server/storage/open-database.js'
import { findUserByEmail, insertUser } from '../server/users/users.repository.js'

const DEMO_PASSWORD = 'demo-password-123'
// The emulator's generator names its first sales reps this way (seed-independent); giving workspace users the
// same emails lets the automatic assignment rule match them to the deals they own.
const ACCOUNTS = [
  { name: 'Demo Admin', email: 'admin@crm-demo.example', role: 'admin' as const },
  { name: 'Ada Almeida', email: 'ada.almeida@crm-demo.example', role: 'member' as const },
  { name: 'Ben Almeida', email: 'ben.almeida@crm-demo.example', role: 'member' as const },
  { name: 'Chloé Almeida', email: 'chloe.almeida@crm-demo.example', role: 'member' as const },
]

const children: ChildProcess[] = []
const stopAll = () => {
  for (const child of children) child.kill('SIGTERM')
}
process.on('SIGINT', stopAll)
process.on('SIGTERM', stopAll)

const emulator = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    'emulator/main.ts',
    '--port',
    process.env['EMULATOR_PORT'] ?? '0',
    '--opportunities',
    '2000',
    '--seed',
    '42',
  ],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
)
children.push(emulator)
const readyLine = await new Promise<string>((resolve, reject) => {
  createInterface({ input: emulator.stdout }).on('line', (line) => {
    if (line.startsWith('EMULATOR_READY ')) resolve(line)
  })
  emulator.once('exit', (code) => reject(new Error(`the emulator exited with ${code}`)))
})
console.log(readyLine)
const ready = JSON.parse(readyLine.slice('EMULATOR_READY '.length)) as {
  url: string
  username: string
  password: string
  securityToken: string
  consumerKey: string
  consumerSecret: string
}

const env = {
  ...process.env,
  DATA_DIR: process.env['DATA_DIR'] ?? './data-demo',
  CRM_ALLOWED_HOSTS: new URL(ready.url).host,
  LOG_FORMAT: process.env['LOG_FORMAT'] ?? 'pretty',
}
const config = loadConfig(env)
const database = await openDatabase(config.storage)
await migrateToLatest(database.db)
const deps = assembleDeps({ config, db: database.db, log: pino({ level: 'warn' }) })
const passwordHash = await hashPassword(DEMO_PASSWORD)
for (const account of ACCOUNTS) {
  if (!(await findUserByEmail(database.db, account.email)))
    await insertUser(database.db, { ...account, password_hash: passwordHash })
}
const admin = await findUserByEmail(database.db, ACCOUNTS[0]?.email ?? '')
await setModuleEnabledRow(database.db, 'crm', true, new Date())
await writeAutoAssign(database.db, true, admin?.id ?? '', new Date())
const saved = await saveConnectionSettings(deps, admin?.id ?? '', {
  provider: 'salesforce',
  authMethod: 'password',
  webServicesUrl: ready.url,
  username: ready.username,
  password: ready.password,
  securityToken: ready.securityToken,
  consumerKey: ready.consumerKey,
  consumerSecret: ready.consumerSecret,
  cacheLocally: true,
  syncIntervalMinutes: 5,
})
await database.close()
if (!saved.saved) {
  console.error(
    'Could not connect to the emulator:',
    saved.report.checks.filter((c) => c.status === 'failed'),
  )
  stopAll()
  process.exit(1)
}

const server = spawn(process.execPath, ['scripts/start.mjs'], { env, stdio: 'inherit' })
children.push(server)
console.log(`\nCRM module demo: ${config.http.publicUrl} (the first sync starts by itself within seconds)`)
console.log(`Demo accounts (password "${DEMO_PASSWORD}"):`)
for (const account of ACCOUNTS) console.log(`  ${account.role.padEnd(6)}  ${account.email}`)
server.once('exit', (code) => {
  stopAll()
  process.exit(code ?? 0)
})
