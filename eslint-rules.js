// The project's own lint rules: the ARCHITECTURE.md rules no stock ESLint rule can state on its own
// (eslint.config.js says where each applies). Each rule only reports; none fixes.
import path from 'node:path'

const QUERY_BUILDERS = new Set([
  'selectFrom',
  'selectNoFrom',
  'insertInto',
  'replaceInto',
  'updateTable',
  'deleteFrom',
  'mergeInto',
])

/** SQL lives in *.repository.ts files (and migrations and storage): no query builder, no `sql` tag elsewhere. */
const sqlInRepositories = {
  meta: {
    type: 'problem',
    docs: { description: 'SQL only in *.repository.ts, migrations and server/storage' },
    schema: [],
    messages: {
      builder: 'Queries belong in a *.repository.ts file: move this {{name}}() there and call it.',
      sqlTag: "SQL belongs in a *.repository.ts file: import `sql` from 'kysely' only there.",
    },
  },
  create(context) {
    return {
      ImportDeclaration(node) {
        if (node.source.value !== 'kysely' || node.importKind === 'type') return
        for (const specifier of node.specifiers) {
          const imported = specifier.type === 'ImportSpecifier' ? specifier.imported.name : undefined
          if (imported === 'sql' && specifier.importKind !== 'type')
            context.report({ node: specifier, messageId: 'sqlTag' })
        }
      },
      CallExpression(node) {
        const callee = node.callee
        if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier') return
        if (QUERY_BUILDERS.has(callee.property.name))
          context.report({
            node: callee.property,
            messageId: 'builder',
            data: { name: callee.property.name },
          })
      },
    }
  },
}

/** Only server/providers/salesforce talks to jsforce. */
const noJsforce = {
  meta: {
    type: 'problem',
    docs: { description: 'jsforce only in server/providers/salesforce' },
    schema: [],
    messages: {
      jsforce:
        'Only server/providers/salesforce imports jsforce; use the CrmSession/CrmProvider of providers/crm-provider.ts.',
    },
  },
  create(context) {
    const check = (node, source) => {
      if (typeof source === 'string' && /^(@jsforce\/|jsforce($|\/))/.test(source))
        context.report({ node, messageId: 'jsforce' })
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
    }
  },
}

// Salesforce's REST, OAuth, SOAP and Bulk endpoints all live under /services/ (REST API Developer Guide,
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_rest_resources.htm).
const SALESFORCE_PATH = /\/services\/(data|oauth2|Soap|async|apexrest)\b/

/** Salesforce URL paths are spelled only in server/providers/salesforce. */
const noSalesforcePaths = {
  meta: {
    type: 'problem',
    docs: { description: 'Salesforce URL paths only in server/providers/salesforce' },
    schema: [],
    messages: {
      path: 'Salesforce URL paths belong in server/providers/salesforce; call a CrmSession method instead.',
    },
  },
  create(context) {
    return {
      Literal(node) {
        if (typeof node.value === 'string' && SALESFORCE_PATH.test(node.value))
          context.report({ node, messageId: 'path' })
      },
      TemplateElement(node) {
        if (SALESFORCE_PATH.test(node.value.raw)) context.report({ node, messageId: 'path' })
      },
    }
  },
}

/**
 * Folder layers: a folder never imports the folders above it, so folders form no cycle (dpdm only sees
 * file cycles). Options: `{ layers: { 'server/http': ['server/auth', ...] } }`, folder -> folders it must not import.
 */
const folderLayers = {
  meta: {
    type: 'problem',
    docs: { description: 'A folder does not import the folders layered above it' },
    schema: [{ type: 'object', properties: { layers: { type: 'object' } }, additionalProperties: false }],
    messages: { layer: '{{from}}/ is below {{to}}/ and must not import it (ARCHITECTURE.md, Layers).' },
  },
  create(context) {
    const layers = context.options[0]?.layers ?? {}
    const file = path.relative(context.cwd, context.filename).split(path.sep).join('/')
    const from = Object.keys(layers).find((folder) => file.startsWith(`${folder}/`))
    if (!from) return {}
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return
      const target = path
        .relative(context.cwd, path.resolve(path.dirname(context.filename), source))
        .split(path.sep)
        .join('/')
      const to = layers[from].find((folder) => target === folder || target.startsWith(`${folder}/`))
      if (to) context.report({ node, messageId: 'layer', data: { from, to } })
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
    }
  },
}

export default {
  meta: { name: 'crm-module-local' },
  rules: {
    'sql-in-repositories': sqlInRepositories,
    'no-jsforce': noJsforce,
    'no-salesforce-paths': noSalesforcePaths,
    'folder-layers': folderLayers,
  },
}
