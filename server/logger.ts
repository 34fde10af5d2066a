// Structured logs: JSON in production (one object per line), readable in a terminal. Every object
// logged passes through redactSecrets, so a variable named token/password/secret never leaves here.
import { pino, type DestinationStream, type Logger } from 'pino'
import pretty from 'pino-pretty'
import { redactSecrets } from './crypto/mask.ts'
import type { Config } from './config.ts'

export type { Logger }

/** `destination`: where JSON lines go instead of stdout (tests read logs from memory). */
export function makeLogger(config: Pick<Config, 'logLevel' | 'logFormat'>, bindings: Record<string, unknown> = {}, destination?: DestinationStream): Logger {
  const options = {
    level: config.logLevel,
    base: bindings,
    formatters: { log: (obj: Record<string, unknown>) => redactSecrets(obj) as Record<string, unknown> },
    serializers: { err: pino.stdSerializers.err },
  }
  if (destination) return pino(options, destination)
  if (config.logFormat === 'pretty') {
    return pino(options, pretty({ colorize: process.stdout.isTTY, sync: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss.l' }))
  }
  return pino(options)
}
