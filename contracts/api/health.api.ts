import { z } from 'zod'

import { defineEndpoint } from './endpoint.js'

export const healthz = defineEndpoint({
  method: 'GET',
  path: '/healthz',
  access: 'public',
  tag: 'operations',
  summary: 'Liveness: the process is up',
  response: z.object({ status: z.literal('ok') }),
})

export const readyz = defineEndpoint({
  method: 'GET',
  path: '/readyz',
  access: 'public',
  tag: 'operations',
  summary: 'Readiness: the database answers (503 when it does not)',
  response: z.object({ status: z.literal('ready'), database: z.enum(['pglite', 'postgres']) }),
})
