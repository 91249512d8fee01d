import { describe, expect, it } from 'vitest'

import { loadConfig } from './config.js'

describe('configuration', () => {
  it('defaults to embedded PGlite in ./data on port 3000', () => {
    const config = loadConfig({})
    expect(config.storage.kind).toBe('pglite')
    expect(config.storage.dataDir).toMatch(/\/data$/)
    expect(config.http.port).toBe(3000)
    expect(config.http.publicUrl).toBe('http://localhost:3000')
  })

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://app@db.internal:5432/crm' })
    expect(config.storage).toMatchObject({ kind: 'postgres', url: 'postgres://app@db.internal:5432/crm' })
  })

  it('lists every bad variable in one message', () => {
    expect(() =>
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TRUST_PROXY: 'maybe', LOG_LEVEL: 'loud' }),
    ).toThrow(/PORT.*\n.*DATABASE_URL: Use a postgres.*\n.*LOG_LEVEL.*\n.*TRUST_PROXY: Use true or false/s)
  })

  it('keeps heap growth at 50% unless told otherwise, and refuses nonsense', () => {
    expect(loadConfig({}).heapGrowthPercent).toBe(50)
    expect(loadConfig({ HEAP_GROWTH_PERCENT: '0' }).heapGrowthPercent).toBe(0)
    expect(() => loadConfig({ HEAP_GROWTH_PERCENT: '-5' })).toThrow(/HEAP_GROWTH_PERCENT/)
  })

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).storage.kind).toBe('pglite')
  })
})
