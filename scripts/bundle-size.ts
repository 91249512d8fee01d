// Prints the JavaScript the first page loads (the entry chunk and every chunk it imports statically,
// i.e. what index.html loads before any lazy route), gzip-compressed, and fails above the budget
// (issue 17 item 10: 200 KB). Lazy chunks (other pages, charts) are listed separately.
// Reads Vite's build manifest: https://vite.dev/guide/backend-integration.html
// Usage: npm run size (builds first), or tsx scripts/bundle-size.ts [--build] [--json]
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

export const budgetBytes = 200 * 1024
const root = join(import.meta.dirname, '..')
const webDist = join(root, 'dist', 'web')

interface ManifestChunk {
  file: string
  isEntry?: boolean
  imports?: string[]
}

export interface ChunkSize {
  file: string
  gzipBytes: number
}

export interface BundleSize {
  firstPage: ChunkSize[]
  lazy: ChunkSize[]
  totalGzipBytes: number
  budgetBytes: number
}

/** Sizes of the first page's chunks and of the lazy ones, from dist/web's manifest. */
export function measureBundle(): BundleSize {
  const manifest = JSON.parse(readFileSync(join(webDist, '.vite', 'manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >
  const entry = Object.values(manifest).find((chunk) => chunk.isEntry)
  if (!entry) throw new Error('The build manifest has no entry chunk')
  const first = new Set<string>()
  const visit = (chunk: ManifestChunk | undefined) => {
    if (!chunk || first.has(chunk.file)) return
    first.add(chunk.file)
    for (const key of chunk.imports ?? []) visit(manifest[key])
  }
  visit(entry)
  const size = (file: string) => gzipSync(readFileSync(join(webDist, file)), { level: 9 }).length
  const jsFiles = [...new Set(Object.values(manifest).map((chunk) => chunk.file))].filter((f) =>
    f.endsWith('.js'),
  )
  const firstPage = [...first].map((file) => ({ file, gzipBytes: size(file) }))
  const lazy = jsFiles.filter((file) => !first.has(file)).map((file) => ({ file, gzipBytes: size(file) }))
  const total = firstPage.reduce((sum, chunk) => sum + chunk.gzipBytes, 0)
  return { firstPage, lazy, totalGzipBytes: total, budgetBytes }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  if (process.argv.includes('--build')) {
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    })
    if (built.status !== 0) process.exit(built.status ?? 1)
  }
  const result = measureBundle()
  if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2))
  else {
    console.log('First page JavaScript (gzip -9):')
    for (const chunk of result.firstPage) console.log(`  ${kb(chunk.gzipBytes).padStart(9)}  ${chunk.file}`)
    console.log(`  ${kb(result.totalGzipBytes).padStart(9)}  total (budget ${kb(budgetBytes)})`)
    console.log('Loaded later (lazy routes and charts):')
    for (const chunk of result.lazy.sort((a, b) => b.gzipBytes - a.gzipBytes))
      console.log(`  ${kb(chunk.gzipBytes).padStart(9)}  ${chunk.file}`)
  }
  if (result.totalGzipBytes > budgetBytes) {
    console.error(
      `The first page's JavaScript is ${kb(result.totalGzipBytes)}, above the ${kb(budgetBytes)} budget.`,
    )
    process.exit(1)
  }
}
