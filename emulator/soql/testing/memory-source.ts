// A small in-memory SoqlDataSource for the engine's unit tests, independent of the org store.

import type { FieldDef, FieldType, ObjectDef, SfRecord, SoqlDataSource } from '../../org/model.js'

export function field(name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef {
  return {
    name,
    label: name,
    type,
    nillable: true,
    createable: true,
    updateable: true,
    calculated: false,
    filterable: true,
    sortable: true,
    custom: name.endsWith('__c'),
    length: 255,
    precision: 0,
    scale: 0,
    referenceTo: [],
    relationshipName: null,
    picklistValues: [],
    ...extra,
  }
}

function ref(name: string, to: string, relationshipName: string): FieldDef {
  return field(name, 'reference', { referenceTo: [to], relationshipName })
}

function obj(name: string, keyPrefix: string, fields: FieldDef[]): ObjectDef {
  return { name, label: name, labelPlural: `${name}s`, keyPrefix, custom: false, queryable: true, fields }
}

export const objects: ObjectDef[] = [
  obj('Account', '001', [
    field('Id', 'id'),
    field('Name', 'string'),
    field('Industry', 'picklist'),
    ref('OwnerId', 'User', 'Owner'),
    field('IsDeleted', 'boolean'),
  ]),
  obj('User', '005', [
    field('Id', 'id'),
    field('Name', 'string'),
    field('Email', 'email'),
    field('IsActive', 'boolean'),
    ref('ManagerId', 'User', 'Manager'),
    field('Secret__c', 'string', { visible: false }),
  ]),
  obj('Opportunity', '006', [
    field('Id', 'id'),
    field('Name', 'string'),
    ref('AccountId', 'Account', 'Account'),
    ref('OwnerId', 'User', 'Owner'),
    field('Amount', 'currency'),
    field('Probability', 'percent'),
    field('StageName', 'picklist'),
    field('CloseDate', 'date'),
    field('IsWon', 'boolean'),
    field('IsDeleted', 'boolean'),
    field('SystemModstamp', 'datetime'),
    field('Description', 'textarea', { sortable: false, filterable: false }),
    field('Region__c', 'string'),
  ]),
]

/** 18-character-looking ids: prefix + zero-padded counter + fixed suffix (the engine only cares about the first 15). */
export function makeId(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(12, '0')}AAA`
}

export class MemorySource implements SoqlDataSource {
  readonly rows = new Map<string, Map<string, SfRecord>>()
  clock: number

  constructor(now = Date.UTC(2024, 0, 31, 12, 0, 0)) {
    this.clock = now
    for (const o of objects) this.rows.set(o.name, new Map())
  }

  add(objectName: string, rec: SfRecord): SfRecord {
    const full: SfRecord = { IsDeleted: false, ...rec }
    this.rows.get(objectName)?.set(String(full['Id']), full)
    return full
  }

  describeObject(objectName: string): ObjectDef | undefined {
    return objects.find((o) => o.name.toLowerCase() === objectName.toLowerCase())
  }

  allRecords(objectName: string): Iterable<SfRecord> {
    return this.rows.get(objectName)?.values() ?? []
  }

  findById(objectName: string, id: string): SfRecord | undefined {
    return this.rows.get(objectName)?.get(id)
  }

  now(): number {
    return this.clock
  }
}

/** A small org: 2 users, 2 accounts, 6 opportunities with varied values (including nulls and a deleted row). */
export function sampleOrg(): MemorySource {
  const ds = new MemorySource()
  const u1 = makeId('005', 1)
  const u2 = makeId('005', 2)
  ds.add('User', {
    Id: u1,
    Name: 'Ada Boss',
    Email: 'ada@example.com',
    IsActive: true,
    ManagerId: null,
    Secret__c: 'x',
  })
  ds.add('User', {
    Id: u2,
    Name: 'Bob Rep',
    Email: 'bob@example.com',
    IsActive: true,
    ManagerId: u1,
    Secret__c: 'y',
  })
  const a1 = makeId('001', 1)
  const a2 = makeId('001', 2)
  ds.add('Account', { Id: a1, Name: 'Acme "Quoted", Inc', Industry: 'Tech', OwnerId: u1 })
  ds.add('Account', { Id: a2, Name: 'globex', Industry: null, OwnerId: u2 })
  const t = (iso: string): number => Date.parse(iso)
  const opps: SfRecord[] = [
    {
      Name: 'Alpha',
      AccountId: a1,
      OwnerId: u2,
      Amount: 1000,
      Probability: 10,
      StageName: 'Prospecting',
      CloseDate: '2024-01-31',
      IsWon: false,
      SystemModstamp: t('2024-01-31T12:00:00.000Z'),
      Description: null,
      Region__c: 'EMEA',
    },
    {
      Name: 'beta',
      AccountId: a2,
      OwnerId: u1,
      Amount: 250000,
      Probability: 90,
      StageName: 'Negotiation/Review',
      CloseDate: '2024-02-15',
      IsWon: false,
      SystemModstamp: t('2024-01-30T08:30:00.000Z'),
      Description: 'x',
      Region__c: null,
    },
    {
      Name: 'Gamma_1',
      AccountId: null,
      OwnerId: u2,
      Amount: null,
      Probability: null,
      StageName: 'Closed Won',
      CloseDate: '2023-12-01',
      IsWon: true,
      SystemModstamp: t('2024-01-31T11:59:59.999Z'),
      Description: null,
      Region__c: 'AMER',
    },
    {
      Name: 'delta 100%',
      AccountId: a1,
      OwnerId: u1,
      Amount: 125000.5,
      Probability: 50,
      StageName: 'Closed Lost',
      CloseDate: '2024-01-30',
      IsWon: false,
      SystemModstamp: t('2024-01-29T00:00:00.000Z'),
      Description: null,
      Region__c: 'emea',
    },
    {
      Name: "O'Brien deal",
      AccountId: a2,
      OwnerId: u2,
      Amount: 0,
      Probability: 0,
      StageName: 'Prospecting',
      CloseDate: '2024-03-01',
      IsWon: false,
      SystemModstamp: t('2024-01-31T12:00:00.001Z'),
      Description: null,
      Region__c: 'APAC',
    },
    {
      Name: 'Deleted one',
      AccountId: a1,
      OwnerId: u1,
      Amount: 5,
      Probability: 10,
      StageName: 'Prospecting',
      CloseDate: '2024-01-31',
      IsWon: false,
      SystemModstamp: t('2024-01-31T10:00:00.000Z'),
      Description: null,
      Region__c: 'EMEA',
      IsDeleted: true,
    },
  ]
  opps.forEach((o, i) => ds.add('Opportunity', { Id: makeId('006', i + 1), ...o }))
  return ds
}
