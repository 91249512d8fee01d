// `npm run emulator -- --port 8787 --opportunities 5000 --seed 42`: a local Salesforce org over http on loopback.
// Prints one line `EMULATOR_READY {json}` with the URL, the demo org's credentials and the Pub/Sub API endpoint
// (`pubSubEndpoint`, host:port, gRPC over TLS; its certificate at `pubSubCertificate`) once it is listening.
import { parseArgs } from 'node:util'

import { startEmulator } from './start-emulator.js'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env['EMULATOR_PORT'] ?? '8787' },
    opportunities: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '42' },
    'multi-currency': { type: 'boolean', default: false },
    'pubsub-port': { type: 'string', default: process.env['EMULATOR_PUBSUB_PORT'] ?? '0' },
  },
})

const port = Number(values.port)
const opportunities = Number(values.opportunities)
const seed = Number(values.seed)
if (!Number.isInteger(port) || port < 0 || port > 65535)
  throw new Error(`--port must be a port number, not "${values.port}"`)
if (!Number.isInteger(opportunities) || opportunities < 0)
  throw new Error(`--opportunities must be a whole number, not "${values.opportunities}"`)
if (!Number.isInteger(seed)) throw new Error(`--seed must be a whole number, not "${values.seed}"`)

const started = performance.now()
const pubSubPort = Number(values['pubsub-port'])
if (!Number.isInteger(pubSubPort) || pubSubPort < 0 || pubSubPort > 65535)
  throw new Error(`--pubsub-port must be a port number, not "${values['pubsub-port']}"`)
const emulator = await startEmulator({
  port,
  opportunities,
  seed,
  multiCurrency: values['multi-currency'],
  pubSubPort,
})
const ready = {
  url: emulator.url,
  instanceUrl: emulator.url,
  loginUrl: emulator.url,
  lightningHost: emulator.lightningHost,
  ...emulator.credentials,
  orgId: emulator.org.id,
  opportunities,
  seed,
  controlApi: `${emulator.url}/__emulator`,
  pubSubEndpoint: emulator.pubSub.endpoint,
  pubSubCertificate: `${emulator.url}/__emulator/pubsub/certificate`,
  startupMs: Math.round(performance.now() - started),
  rssMb: Math.round(process.memoryUsage().rss / 1_048_576),
}
console.log(`EMULATOR_READY ${JSON.stringify(ready)}`)

const stop = () => {
  void emulator.close().then(() => process.exit(0))
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
