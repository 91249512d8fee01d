// npm run bench:emulator [-- --opportunities 200000 --batch-size 2000]
// Starts the Salesforce emulator as a child process with a generated org, logs in with the OAuth password grant,
// pages through every opportunity over HTTP with plain fetch (/query then nextRecordsUrl), and reports throughput.
// The last line printed is JSON with at least `recordsPerSecond` and `peakRssMb` (the emulator process's peak RSS,
// read from /proc/<pid>/status VmHWM, so it includes generating the org and serving every page).

import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

interface Ready {
  url: string
  username: string
  password: string
  securityToken: string
  consumerKey: string
  consumerSecret: string
}

const API_VERSION = '62.0'
/** Fields a connector syncs; those the org's describe does not list are left out. */
const WANTED_FIELDS = [
  'Id',
  'Name',
  'AccountId',
  'Account.Name',
  'OwnerId',
  'Owner.Name',
  'Owner.Email',
  'Amount',
  'CloseDate',
  'StageName',
  'Probability',
  'ForecastCategoryName',
  'IsClosed',
  'IsWon',
  'Type',
  'LeadSource',
  'NextStep',
  'CreatedDate',
  'LastModifiedDate',
  'SystemModstamp',
  'Region__c',
]

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN
  return Number.isFinite(v) && v > 0 ? v : fallback
}

function startChild(opportunities: number): Promise<{ child: ChildProcess; ready: Ready }> {
  const main = fileURLToPath(new URL('../emulator/main.ts', import.meta.url))
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', main, '--port', '0', '--opportunities', String(opportunities), '--seed', '42'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
    lines.on('line', (line) => {
      if (line.startsWith('EMULATOR_READY '))
        resolve({ child, ready: JSON.parse(line.slice('EMULATOR_READY '.length)) as Ready })
    })
    child.once('exit', (code) =>
      reject(new Error(`emulator exited with code ${String(code)} before it was ready`)),
    )
  })
}

/** Peak resident set size of a process in MB (Linux VmHWM). */
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Math.round(Number(m[1]) / 1024) : NaN
}

/**
 * CPU seconds (user + system) a process has used, from /proc/<pid>/stat (clock ticks of 1/100 s on Linux).
 * Reported next to wall time because the benchmark machine is shared: CPU time shows the emulator's own cost.
 */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return (Number(fields[11]) + Number(fields[12])) / 100
}

async function login(ready: Ready): Promise<{ accessToken: string; instanceUrl: string }> {
  const body = new URLSearchParams({
    grant_type: 'password',
    client_id: ready.consumerKey,
    client_secret: ready.consumerSecret,
    username: ready.username,
    password: ready.password + ready.securityToken,
  })
  const res = await fetch(`${ready.url}/services/oauth2/token`, { method: 'POST', body })
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`)
  const token = (await res.json()) as { access_token: string; instance_url: string }
  return { accessToken: token.access_token, instanceUrl: token.instance_url }
}

async function getJson<T>(url: string, headers: Record<string, string>): Promise<T> {
  const res = await fetch(url, { headers })
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

async function main(): Promise<void> {
  const opportunities = arg('opportunities', 200_000)
  const batchSize = arg('batch-size', 2000)
  const startedAt = performance.now()
  const { child, ready } = await startChild(opportunities)
  const startupSeconds = (performance.now() - startedAt) / 1000
  try {
    const { accessToken, instanceUrl } = await login(ready)
    const headers = {
      Authorization: `Bearer ${accessToken}`,
      'Sforce-Query-Options': `batchSize=${batchSize}`,
    }
    const base = `${instanceUrl}/services/data/v${API_VERSION}`
    const describe = await getJson<{ fields: { name: string; relationshipName: string | null }[] }>(
      `${base}/sobjects/Opportunity/describe`,
      headers,
    )
    const names = new Set(describe.fields.map((f) => f.name))
    const relations = new Set(describe.fields.map((f) => f.relationshipName).filter((r): r is string => !!r))
    const fields = WANTED_FIELDS.filter((f) =>
      f.includes('.') ? relations.has(f.split('.')[0] ?? '') : names.has(f),
    )
    const soql = `SELECT ${fields.join(', ')} FROM Opportunity ORDER BY SystemModstamp, Id`

    const pid = child.pid ?? 0
    const cpu0 = cpuSeconds(pid)
    const client0 = process.cpuUsage()
    const t0 = performance.now()
    let page = await getJson<{ totalSize: number; nextRecordsUrl?: string; records: unknown[] }>(
      `${base}/query?q=${encodeURIComponent(soql)}`,
      headers,
    )
    const totalSize = page.totalSize
    let records = page.records.length
    let pages = 1
    while (page.nextRecordsUrl) {
      page = await getJson(`${instanceUrl}${page.nextRecordsUrl}`, headers)
      records += page.records.length
      pages++
    }
    const seconds = (performance.now() - t0) / 1000
    const emulatorCpu = cpuSeconds(pid) - cpu0
    const clientCpu = process.cpuUsage(client0)
    if (records !== totalSize) throw new Error(`paged ${records} records but totalSize was ${totalSize}`)
    const result = {
      recordsPerSecond: Math.round(records / seconds),
      peakRssMb: peakRssMb(pid),
      emulatorCpuSeconds: Number(emulatorCpu.toFixed(2)),
      recordsPerEmulatorCpuSecond: Math.round(records / emulatorCpu),
      clientCpuSeconds: Number(((clientCpu.user + clientCpu.system) / 1e6).toFixed(2)),
      records,
      pages,
      batchSize,
      fields: fields.length,
      seconds: Number(seconds.toFixed(3)),
      startupSeconds: Number(startupSeconds.toFixed(1)),
      benchProcessRssMb: Math.round(process.memoryUsage().rss / 1024 / 1024),
    }
    console.log(
      `paged ${records} opportunities in ${pages} pages (${fields.length} fields) in ${result.seconds}s`,
    )
    console.log(JSON.stringify(result))
  } finally {
    child.kill('SIGTERM')
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
