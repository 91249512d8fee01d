// Describe Global and sObject Describe (REST API "Describe Global", "sObject Describe", https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm): top-level
// object flags, field descriptors with the keys clients read, and urls. Hidden fields (field-level security)
// are left out, as Salesforce leaves them out for the user.
import { childRelationshipsOf } from '../org/child-relationships.js'
import { isGroupable } from '../org/field-traits.js'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

import { sendError, sendJson } from '../http/errors.js'
import { canReadObject } from '../http/object-access.js'
import type { FieldDef, ObjectDef } from '../org/model.js'
import type { Org } from '../org/org.js'
import type { RestDeps } from '../http/guard.js'
import { versionOf } from '../http/versions.js'
import { recentItems } from './recent.js'

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  picklist: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  currency: 'xsd:double',
  double: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  boolean: 'xsd:boolean',
}

function objectFlags(definition: ObjectDef, version: string) {
  const base = `/services/data/v${version}/sobjects/${definition.name}`
  const writable = !['OpportunityStage', 'Organization'].includes(definition.name)
  return {
    name: definition.name,
    label: definition.label,
    labelPlural: definition.labelPlural,
    keyPrefix: definition.keyPrefix,
    custom: definition.custom,
    customSetting: false,
    queryable: definition.queryable,
    replicateable: true,
    retrieveable: true,
    searchable: writable,
    createable: writable,
    updateable: writable,
    deletable: writable,
    undeletable: writable,
    triggerable: writable,
    layoutable: writable,
    mergeable: false,
    mruEnabled: writable,
    feedEnabled: false,
    activateable: false,
    deprecatedAndHidden: false,
    hasSubtypes: false,
    isSubtype: false,
    isInterface: false,
    deepCloneable: false,
    idEnabled: true,
    urls: { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` },
  }
}

function describeField(field: FieldDef) {
  return {
    name: field.name,
    label: field.label,
    type: field.type,
    soapType: SOAP_TYPES[field.type] ?? 'xsd:string',
    length: field.length,
    byteLength: field.length * 3,
    digits: field.type === 'int' ? 9 : 0,
    precision: field.precision,
    scale: field.scale,
    nillable: field.nillable,
    createable: field.createable,
    updateable: field.updateable,
    defaultedOnCreate: ['Id', 'IsDeleted', 'CreatedDate', 'SystemModstamp', 'OwnerId'].includes(field.name),
    calculated: field.calculated,
    calculatedFormula: null,
    autoNumber: false,
    unique: field.name === 'Username',
    externalId: false,
    idLookup: field.type === 'id' || field.name === 'Username',
    nameField: field.name === 'Name',
    filterable: field.filterable,
    sortable: field.sortable,
    groupable: isGroupable(field),
    aggregatable: field.type !== 'textarea',
    custom: field.custom,
    caseSensitive: false,
    cascadeDelete: false,
    restrictedDelete: false,
    defaultValue: null,
    defaultValueFormula: null,
    picklistValues: field.picklistValues.map((p) => ({ ...p, validFor: null })),
    restrictedPicklist: field.restrictedPicklist ?? false,
    dependentPicklist: false,
    controllerName: null,
    referenceTo: field.referenceTo,
    relationshipName: field.relationshipName,
    relationshipOrder: null,
    referenceTargetField: null,
    namePointing: false,
    htmlFormatted: false,
    encrypted: false,
    mask: null,
    maskType: null,
    inlineHelpText: null,
    extraTypeInfo: null,
    compoundFieldName: null,
    highScaleNumber: false,
    permissionable: field.nillable && !field.calculated,
    queryByDistance: false,
    writeRequiresMasterRead: false,
    deprecatedAndHidden: false,
    displayLocationInDecimal: false,
    filteredLookupInfo: null,
  }
}

/** sObject Describe childRelationships (keys: childSObject, field, relationshipName, cascadeDelete, restrictedDelete,
 * deprecatedAndHidden, junctionIdListNames, junctionReferenceTo); which relationships: org/child-relationships.ts. */
export function childRelationships(org: Org, objectName: string) {
  return childRelationshipsOf(objectName)
    .filter(({ childSObject }) => org.records.describeObject(childSObject) !== undefined)
    .map(({ childSObject, field, relationshipName, cascadeDelete }) => ({
      cascadeDelete,
      childSObject,
      deprecatedAndHidden: false,
      field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName,
      restrictedDelete: false,
    }))
}

export function registerDescribeRoutes(app: FastifyInstance, { org, guard }: RestDeps): void {
  app.get('/services/data/:version/sobjects', async (request, reply) => {
    const version = versionOf(request, reply)
    if (!version) return reply
    const session = await guard(request, reply)
    if (!session) return reply
    const sobjects = org.records
      .objectNames()
      .filter((name) => canReadObject(org, session.userId, name))
      .map((name) => objectFlags(org.records.describeObject(name) as ObjectDef, version))
    return sendJson(reply, 200, { encoding: 'UTF-8', maxBatchSize: 200, sobjects })
  })

  /** The version and the object of the path, or undefined after answering 404 (unknown or unreadable object). */
  const readableObject = async (request: FastifyRequest, reply: FastifyReply) => {
    const version = versionOf(request, reply)
    if (!version) return undefined
    const session = await guard(request, reply)
    if (!session) return undefined
    const definition = org.records.describeObject((request.params as { object: string }).object)
    if (!definition || !canReadObject(org, session.userId, definition.name)) {
      sendError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist')
      return undefined
    }
    return { version, definition, userId: session.userId }
  }

  // sObject Basic Information: {objectDescribe, recentItems}
  // (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_basic_info.htm).
  // recentItems: the user's records of this object that SOQL FOR VIEW / FOR REFERENCE marked (recent.ts); the
  // emulator has no user interface, so nothing else marks one.
  app.get('/services/data/:version/sobjects/:object', async (request, reply) => {
    const found = await readableObject(request, reply)
    if (!found) return reply
    return sendJson(reply, 200, {
      objectDescribe: objectFlags(found.definition, found.version),
      recentItems: recentItems(org, found.userId, found.version, { objectName: found.definition.name }),
    })
  })

  app.get('/services/data/:version/sobjects/:object/describe', async (request, reply) => {
    const found = await readableObject(request, reply)
    if (!found) return reply
    const { version, definition } = found
    return sendJson(reply, 200, {
      ...objectFlags(definition, version),
      fields: definition.fields.filter((f) => f.visible !== false).map(describeField),
      childRelationships: childRelationships(org, definition.name),
      recordTypeInfos: [],
      actionOverrides: [],
      compactLayoutable: true,
      listviewable: null,
      lookupLayoutable: null,
      searchLayoutable: true,
      namedLayoutInfos: [],
      networkScopeFieldName: null,
      supportedScopes: [{ label: 'All', name: 'everything' }],
    })
  })
}
