// `npm run dev`: the API server (restarts on change, embedded database in ./data) and the Vite dev server
// (hot reload, proxies /api to the API server). Open the URL Vite prints.
import { spawn } from 'node:child_process'

const root = new URL('..', import.meta.url).pathname
const bin = (name) => `${root}node_modules/.bin/${name}`
const env = { ...process.env, NODE_ENV: 'development', LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty' }

const children = [
  spawn(bin('tsx'), ['watch', '--clear-screen=false', 'server/main.ts'], {
    cwd: root,
    env,
    stdio: 'inherit',
  }),
  spawn(bin('vite'), ['--config', 'web/vite.config.ts'], { cwd: root, env, stdio: 'inherit' }),
]
const stop = () => children.forEach((child) => child.kill('SIGTERM'))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
for (const child of children)
  child.on('exit', (code) => {
    stop()
    process.exitCode = code ?? 0
  })
