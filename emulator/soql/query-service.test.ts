import { describe, expect, it } from 'vitest'
import { CursorStore } from './cursors.js'
import { SoqlError } from './errors.js'
import { QueryService, batchSizeFromHeader } from './query-service.js'
import { MemorySource, makeId } from './testing/memory-source.js'

interface Page {
  totalSize: number
  done: boolean
  nextRecordsUrl?: string
  records: { Name: string; Amount: number | null }[]
}

function bigOrg(n: number): MemorySource {
  const ds = new MemorySource()
  for (let i = 1; i <= n; i++) {
    ds.add('Opportunity', {
      Id: makeId('006', i),
      Name: `Opp ${String(i).padStart(5, '0')}`,
      Amount: i,
      IsDeleted: i % 100 === 0,
    })
  }
  return ds
}

const parse = (body: Buffer): unknown => JSON.parse(body.toString('utf8'))
const locatorOf = (url: string): string => url.slice(url.lastIndexOf('/') + 1)

describe('QueryService paging', () => {
  it('pages with nextRecordsUrl /services/data/vXX.X/query/<cursor>-<offset> until done', () => {
    const ds = bigOrg(1000)
    const svc = new QueryService(ds)
    const req = { version: '61.0', batchSize: 200 }
    let page = parse(
      svc.start('SELECT Name, Amount FROM Opportunity ORDER BY Amount DESC', false, req),
    ) as Page
    expect(page.totalSize).toBe(990)
    expect(page.done).toBe(false)
    expect(page.nextRecordsUrl).toMatch(/^\/services\/data\/v61\.0\/query\/01g[A-Za-z0-9]{15}-200$/)
    const seen = [...page.records]
    while (!page.done) {
      page = parse(svc.more(locatorOf(page.nextRecordsUrl ?? ''), req)) as Page
      expect(page.totalSize).toBe(990)
      seen.push(...page.records)
    }
    expect(page.nextRecordsUrl).toBeUndefined()
    expect(seen).toHaveLength(990)
    expect(seen[0]?.Amount).toBe(999)
    expect(seen.at(-1)?.Amount).toBe(1)
  })

  it('queryAll includes deleted rows and its nextRecordsUrl also says /query/', () => {
    const svc = new QueryService(bigOrg(3000))
    const page = parse(
      svc.start('SELECT Name FROM Opportunity', true, { version: '60.0', batchSize: 2000 }),
    ) as Page
    expect(page.totalSize).toBe(3000)
    expect(page.records).toHaveLength(2000)
    expect(page.nextRecordsUrl).toContain('/services/data/v60.0/query/')
  })

  it('answers COUNT() with totalSize and no records', () => {
    const svc = new QueryService(bigOrg(500))
    expect(
      parse(
        svc.start('SELECT COUNT() FROM Opportunity WHERE Amount > 250', false, {
          version: '60.0',
          batchSize: 2000,
        }),
      ),
    ).toEqual({
      totalSize: 247, // 251..500 minus the deleted 300, 400, 500
      done: true,
      records: [],
    })
  })

  it('keeps the snapshot of ids but shows current values', () => {
    const ds = bigOrg(450)
    const svc = new QueryService(ds)
    const req = { version: '60.0', batchSize: 200 }
    const first = parse(
      svc.start('SELECT Name, Amount FROM Opportunity WHERE Amount <= 300', false, req),
    ) as Page
    const late = ds.findById('Opportunity', makeId('006', 250))
    if (late) late['Amount'] = 9999 // no longer matches, still in the snapshot with its current value
    ds.add('Opportunity', { Id: makeId('006', 451), Name: 'new', Amount: 1 }) // matches now, not in the snapshot
    const second = parse(svc.more(locatorOf(first.nextRecordsUrl ?? ''), req)) as Page
    expect(second.totalSize).toBe(first.totalSize)
    expect(second.records.find((r) => r.Name === 'Opp 00250')?.Amount).toBe(9999)
    expect(second.records.some((r) => r.Name === 'new')).toBe(false)
  })

  it('serves the page prepared ahead only while its rows are unchanged', async () => {
    const ds = bigOrg(700)
    const svc = new QueryService(ds)
    const req = { version: '60.0', batchSize: 200 }
    const tick = () => new Promise((resolve) => setImmediate(resolve))
    const first = parse(svc.start('SELECT Name, Amount FROM Opportunity ORDER BY Amount', false, req)) as Page
    await tick() // the next page is prepared now
    const second = parse(svc.more(locatorOf(first.nextRecordsUrl ?? ''), req)) as Page
    expect(second.records[0]?.Amount).toBe(203) // rows 1..700 minus every 100th: page 1 ends at 202
    await tick()
    const row = ds.findById('Opportunity', makeId('006', 405))
    if (row) {
      row['Amount'] = -1 // changed after page 3 was prepared: the store moves SystemModstamp with every change
      row['SystemModstamp'] = 1
    }
    const third = parse(svc.more(locatorOf(second.nextRecordsUrl ?? ''), req)) as Page
    expect(third.records.find((r) => r.Name === 'Opp 00405')?.Amount).toBe(-1)
    expect(third.records).toHaveLength(200)
  })

  it('unknown, malformed, out-of-range and expired locators → INVALID_QUERY_LOCATOR', () => {
    const ds = bigOrg(500)
    const svc = new QueryService(ds)
    const req = { version: '60.0', batchSize: 200 }
    const page = parse(svc.start('SELECT Name FROM Opportunity', false, req)) as Page
    const locator = locatorOf(page.nextRecordsUrl ?? '')
    const cursorId = locator.split('-')[0] ?? ''
    for (const bad of ['nope', '01gXXXXXXXXXXXXXXX-200', `${cursorId}-99999`, `${cursorId}-x`]) {
      expect(() => svc.more(bad, req)).toThrowError(SoqlError)
    }
    expect(() => svc.more(locator, req)).not.toThrow()
    ds.clock += 2 * 24 * 3600 * 1000 + 1 // cursors live 2 days on the org clock
    try {
      svc.more(locator, req)
      expect.unreachable()
    } catch (err) {
      expect((err as SoqlError).errorCode).toBe('INVALID_QUERY_LOCATOR')
      expect((err as SoqlError).statusCode).toBe(400)
    }
  })

  it('evicts least recently used cursors beyond the memory bound', () => {
    const ds = bigOrg(500)
    const cursors = new CursorStore({ now: () => ds.now(), maxCursors: 2 })
    const svc = new QueryService(ds, cursors)
    const req = { version: '60.0', batchSize: 200 }
    const urls = [1, 2, 3].map(
      (i) =>
        (parse(svc.start(`SELECT Name FROM Opportunity WHERE Amount > ${i}`, false, req)) as Page)
          .nextRecordsUrl ?? '',
    )
    expect(cursors.size).toBe(2)
    expect(() => svc.more(locatorOf(urls[0] ?? ''), req)).toThrowError(/invalid query locator/)
    expect(() => svc.more(locatorOf(urls[2] ?? ''), req)).not.toThrow()
  })

  it('clamps Sforce-Query-Options batchSize to 200..2000, default 2000', () => {
    expect(batchSizeFromHeader(undefined)).toBe(2000)
    expect(batchSizeFromHeader('batchSize=500')).toBe(500)
    expect(batchSizeFromHeader('batchSize=10')).toBe(200)
    expect(batchSizeFromHeader('batchSize=5000')).toBe(2000)
    expect(batchSizeFromHeader('nonsense')).toBe(2000)
  })
})
