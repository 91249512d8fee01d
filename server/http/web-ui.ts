// Serves the built React app from dist/web: hashed assets with long caching, and index.html for every other
// browser path so client-side routes (/portal/..., /admin/...) survive a reload.
import { existsSync } from 'node:fs'
import { join } from 'node:path'

import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

import { body } from './error-handler.js'

export async function registerWebUi(app: FastifyInstance, webRoot: string): Promise<void> {
  const isBuilt = existsSync(join(webRoot, 'index.html'))
  if (isBuilt) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      index: false,
      setHeaders: (reply, path) => {
        const isHashedAsset = path.includes('/assets/')
        void reply.header('cache-control', isHashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache')
      },
    })
  }

  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/'
    const isApi = path.startsWith('/api/') || path === '/api'
    const wantsPage =
      (request.method === 'GET' || request.method === 'HEAD') && !isApi && !/\.[a-z0-9]+$/i.test(path)
    if (!wantsPage) {
      return reply.status(404).send(body('NOT_FOUND', `No such endpoint: ${request.method} ${path}`))
    }
    if (!isBuilt) {
      return reply
        .status(503)
        .type('text/plain')
        .send('The web UI has not been built. Run `npm run build` (npm start does it for you).')
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html')
  })
}
