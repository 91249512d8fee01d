// Control API for what a write must pass (not Salesforce's API): validation rules (org/validation-rules.ts),
// field-level security "read only" and restricted picklists, all for the API user.
// POST   /__emulator/validation-rules {object, field, operator, value?, message, errorField?} → 201 the rule
// DELETE /__emulator/validation-rules → every rule removed
// PATCH  /__emulator/write-rules {readOnlyFields?, writableFields?, restrictPicklists?, unrestrictPicklists?}
//        (`Object.Field` names) → 200 the current sets
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'

import { sendJson } from '../http/errors.js'
import type { Org } from '../org/org.js'
import { RULE_OPERATORS } from '../org/validation-rules.js'

const RuleSchema = z.object({
  object: z.string().min(1),
  field: z.string().min(1),
  operator: z.enum(RULE_OPERATORS),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  message: z.string().min(1),
  errorField: z.string().min(1).nullable().optional(),
})

const Names = z.array(z.string().regex(/^\w+\.\w+$/)).optional()
const WriteRulesSchema = z.object({
  readOnlyFields: Names,
  writableFields: Names,
  restrictPicklists: Names,
  unrestrictPicklists: Names,
})

export function registerControlWriteRuleRoutes(app: FastifyInstance, org: Org, prefix: string): void {
  const store = org.records
  let ruleIds = 0

  app.post(`${prefix}/validation-rules`, async (request, reply) => {
    const parsed = RuleSchema.safeParse(request.body)
    if (!parsed.success) return sendJson(reply, 400, { error: parsed.error.message })
    ruleIds += 1
    const rule = { id: ruleIds, active: true, ...parsed.data }
    store.validationRules.push(rule)
    return sendJson(reply, 201, rule)
  })

  app.delete(`${prefix}/validation-rules`, async (_request, reply) => {
    store.validationRules.length = 0
    return sendJson(reply, 200, { ok: true })
  })

  app.patch(`${prefix}/write-rules`, async (request, reply) => {
    const parsed = WriteRulesSchema.safeParse(request.body)
    if (!parsed.success) return sendJson(reply, 400, { error: parsed.error.message })
    const body = parsed.data
    for (const name of body.readOnlyFields ?? []) store.readOnlyFields.add(name)
    for (const name of body.writableFields ?? []) store.readOnlyFields.delete(name)
    for (const name of body.restrictPicklists ?? []) store.restrictedPicklists.add(name)
    for (const name of body.unrestrictPicklists ?? []) store.restrictedPicklists.delete(name)
    return sendJson(reply, 200, {
      readOnlyFields: [...store.readOnlyFields],
      restrictedPicklists: [...store.restrictedPicklists],
      validationRules: store.validationRules,
    })
  })
}
