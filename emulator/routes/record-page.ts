// Record pages for people, not the API: the Classic record URL `<instance>/<Id>` redirects to the Lightning record
// URL `/lightning/r/<Object>/<Id>/view` (Salesforce's own Apex example of record links,
// https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_class_System_DomainCreator.htm;
// Classic URLs redirect per the user's UI), which shows the record's fields as a plain HTML table. Salesforce
// requires a browser login there; the emulator does not, so "Open in Salesforce" links work in demos.
import type { FastifyInstance } from 'fastify'

import { isValidId } from '../org/ids.js'
import type { Org } from '../org/org.js'
import { formatDatetime } from '../soql/format-json.js'

const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)

export function registerRecordPageRoutes(app: FastifyInstance, org: Org): void {
  app.get('/:id', async (request, reply) => {
    const { id } = request.params as { id: string }
    const objectName = isValidId(id) ? org.records.objectForId(id) : undefined
    if (!objectName) return reply.callNotFound()
    return reply.redirect(`/lightning/r/${objectName}/${id}/view`, 302)
  })

  app.get('/lightning/r/:object/:id/view', async (request, reply) => {
    const { object, id } = request.params as { object: string; id: string }
    const definition = org.records.describeObject(object)
    const record = definition && isValidId(id) ? org.records.findById(definition.name, id) : undefined
    if (!definition || !record)
      return reply
        .code(404)
        .type('text/html')
        .send('<!doctype html><title>Not found</title><h1>Record not found</h1>')
    const rows = definition.fields
      .map((field) => {
        const value = record[field.name] ?? null
        const text =
          value === null
            ? ''
            : field.type === 'datetime' && typeof value === 'number'
              ? formatDatetime(value)
              : String(value)
        return `<tr><th scope="row">${escape(field.label)}</th><td>${escape(text)}</td></tr>`
      })
      .join('')
    const title = escape(String(record['Name'] ?? record['Id']))
    return reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} | ${escape(definition.label)}</title>` +
          `<style>body{font:15px system-ui,sans-serif;margin:2rem}th{text-align:left;padding-right:1rem;font-weight:500;color:#555}</style></head>` +
          `<body><p>${escape(definition.label)} (Salesforce emulator)</p><h1>${title}</h1>` +
          `${record['IsDeleted'] === true ? '<p role="status">In the recycle bin</p>' : ''}<table>${rows}</table></body></html>`,
      )
  })
}
