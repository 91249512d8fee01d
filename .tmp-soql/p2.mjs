import { parseQuery } from '@jetstreamapp/soql-parser-js'
const qs = process.argv.slice(2)
for (const q of qs) { try { console.log(q, '\n', JSON.stringify(parseQuery(q).where ?? parseQuery(q), null, 0)) } catch (e) { console.log(q, '\nERR', e.name, JSON.stringify(e.message), Object.getOwnPropertyNames(e), e.token && JSON.stringify(e.token)) } }
