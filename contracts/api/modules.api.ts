import { z } from 'zod'

import { defineEndpoint } from './endpoint.js'

export const ModuleSummarySchema = z.object({
  id: z.literal('crm'),
  name: z.string(),
  enabled: z.boolean(),
})
export type ModuleSummary = z.infer<typeof ModuleSummarySchema>

export const listModules = defineEndpoint({
  method: 'GET',
  path: '/api/modules',
  access: 'user',
  tag: 'modules',
  summary: 'Modules and whether each is enabled (drives the portal navigation)',
  response: z.object({ modules: z.array(ModuleSummarySchema) }),
})

export const setModuleEnabled = defineEndpoint({
  method: 'PATCH',
  path: '/api/admin/modules/:id',
  access: 'admin',
  tag: 'modules',
  summary: 'Enable or disable a module',
  params: z.strictObject({ id: z.literal('crm') }),
  body: z.strictObject({ enabled: z.boolean() }),
  response: z.object({ module: ModuleSummarySchema }),
})
