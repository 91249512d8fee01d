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
    ).toThrow(
      /PORT.*\n.*DATABASE_URL: Use a postgres.*\n.*LOG_LEVEL.*\n.*TRUST_PROXY: Use the number of proxies/s,
    )
  })

  it('keeps heap growth at 50% unless told otherwise, and refuses nonsense', () => {
    expect(loadConfig({}).heapGrowthPercent).toBe(50)
    expect(loadConfig({ HEAP_GROWTH_PERCENT: '0' }).heapGrowthPercent).toBe(0)
    expect(() => loadConfig({ HEAP_GROWTH_PERCENT: '-5' })).toThrow(/HEAP_GROWTH_PERCENT/)
  })

  it('trusts a number of proxy hops or a list of proxy addresses, never every hop', () => {
    const trust = (value: string) => loadConfig({ TRUST_PROXY: value }).http.trustProxy
    expect(loadConfig({}).http.trustProxy).toBe(false)
    expect(trust('false')).toBe(false)
    expect(trust('2')).toBe(2)
    expect(trust('10.0.0.5, 10.1.0.0/16,::1,loopback')).toEqual([
      '10.0.0.5',
      '10.1.0.0/16',
      '::1',
      'loopback',
    ])
    for (const bad of ['true', 'yes', '10.0.0.0/33', 'proxy.internal', '10.0.0.5,*'])
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY: Use the number of proxies/)
  })

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).storage.kind).toBe('pglite')
  })
})
