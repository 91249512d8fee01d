// What request handlers and services need from the outside world, built once in main.ts (the composition
// root) or in a test. Passing it explicitly keeps every dependency visible in signatures.
import type { Logger } from 'pino'

import type { Config } from './config.js'
import type { Db } from './storage/open-database.js'

export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

export interface AppDeps {
  config: Config
  db: Db
  log: Logger
  clock: Clock
}
