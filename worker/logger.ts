// graphile-worker's logger, written through our structured logger with the job's id and task.
import { Logger as WorkerLogger, type LogLevel } from 'graphile-worker'
import type { Logger } from '../server/logger.ts'

export function makeWorkerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger((scope) => {
    const child = logger.child({
      ...(scope.workerId ? { workerId: scope.workerId } : {}),
      ...(scope.taskIdentifier ? { task: scope.taskIdentifier } : {}),
      ...(scope.jobId ? { jobId: scope.jobId } : {}),
    })
    return (level: LogLevel, message: string, meta?: unknown) => {
      const fields = meta && typeof meta === 'object' ? { ...(meta as object) } : {}
      if (level === 'error') child.error(fields, message)
      else if (level === 'warning') child.warn(fields, message)
      else if (level === 'info') child.info(fields, message)
      else child.debug(fields, message)
    }
  })
}
