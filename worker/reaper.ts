// Dead workers' jobs: graphile-worker 0.17 leaves a job (and its named queue) locked for 4 hours when
// its worker was killed (SIGKILL, a lost machine). Every worker process says it is alive
// (worker_heartbeats), and unlocks jobs and queues held by workers that stopped saying so, at start
// and periodically, so their work runs again within a minute.
import { EventEmitter } from 'node:events'
import type { Db } from '../server/db.ts'
import type { Logger } from '../server/logger.ts'

export interface ReaperOptions {
  heartbeatMs: number
  /** A worker silent for this long is dead. */
  deadAfterMs: number
}

export function startReaper(db: Db, logger: Logger, processName: string, options: ReaperOptions) {
  const events = new EventEmitter()
  // graphile-worker 0.17 locks jobs (and job queues) with the id of the worker *pool*.
  const workerIds = new Set<string>()
  events.on('pool:create', ({ workerPool }: { workerPool: { id: string } }) => workerIds.add(workerPool.id))
  events.on('pool:release', ({ workerPool }: { workerPool: { id: string } }) => workerIds.delete(workerPool.id))
  // Jobs this process's workers are running. graphile-worker completes or fails a job without awaiting
  // it: when that statement is lost (PostgreSQL restarting), the job stays locked by this live process
  // and nobody would ever run it again.
  const runningJobs = new Set<string>()
  events.on('job:start', ({ job }: { job: { id: string } }) => runningJobs.add(String(job.id)))
  events.on('job:complete', ({ job }: { job: { id: string } }) => runningJobs.delete(String(job.id)))

  const beat = async () => {
    for (const id of workerIds) {
      await db.$executeRaw`insert into worker_heartbeats (worker_id, process, last_seen) values (${id}, ${processName}, now())
        on conflict (worker_id) do update set last_seen = now()`
    }
  }
  const reap = async () => {
    const deadAfter = `${Math.ceil(options.deadAfterMs / 1000)} seconds`
    const dead = await db.$queryRaw<{ locked_by: string }[]>`
      with locks as (
        select locked_by, locked_at from graphile_worker._private_jobs where locked_by is not null
        union all
        select locked_by, locked_at from graphile_worker._private_job_queues where locked_by is not null
      )
      select distinct l.locked_by from locks l
      where l.locked_at < now() - ${deadAfter}::interval
        and not exists (select 1 from worker_heartbeats h where h.worker_id = l.locked_by and h.last_seen > now() - ${deadAfter}::interval)
        -- Silence while PostgreSQL itself was down says nothing: after a restart every worker gets the
        -- dead-after time to beat again before any is judged.
        and pg_postmaster_start_time() < now() - ${deadAfter}::interval`
    const ids = dead.map((d) => d.locked_by).filter((id) => !workerIds.has(id))
    if (ids.length) {
      const superseded = await db.$transaction(async (tx) => {
        // A job whose key was added again while it ran (a task rescheduling itself, new work for the
        // same notebook) was superseded: graphile-worker took its key and its remaining attempts, and
        // the new job carries the work. Its worker died before finishing it, so it would sit in the
        // queue forever, never to run: it goes. (Every job this project adds has a key, so a keyless
        // job with no attempts left is one of these.)
        const gone = await tx.$queryRaw<{ id: bigint }[]>`select id from graphile_worker._private_jobs
          where locked_by = any(${ids}::text[]) and key is null and attempts >= max_attempts`
        await tx.$executeRaw`select graphile_worker.force_unlock_workers(${ids}::text[])`
        if (gone.length) await tx.$executeRaw`select graphile_worker.complete_jobs(${gone.map((j) => j.id)}::bigint[])`
        return gone.length
      })
      logger.warn({ workers: ids, superseded }, 'unlocked the jobs of workers that stopped answering')
    }
    // Our own jobs whose completion or failure was lost: locked by us, not running here. Run again
    // (every task is idempotent).
    if (workerIds.size) {
      const lost = await db.$queryRaw<{ id: bigint }[]>`
        with lost as (
          update graphile_worker._private_jobs set locked_by = null, locked_at = null
          where locked_by = any(${[...workerIds]}::text[]) and locked_at < now() - ${deadAfter}::interval and not (id::text = any(${[...runningJobs]}::text[]))
          returning id, job_queue_id, locked_by
        ), queues as (
          update graphile_worker._private_job_queues q set locked_by = null, locked_at = null
          from lost where q.id = lost.job_queue_id and q.locked_by = any(${[...workerIds]}::text[])
        )
        select id from lost`
      if (lost.length) logger.warn({ jobs: lost.map((j) => String(j.id)) }, 'released jobs whose completion was lost (database unavailable)')
    }
    // A queue locked with no job of its locker in it is held for nothing, by a live worker too: when a
    // slow worker was judged dead, its job ran again elsewhere, and whichever finished second deleted
    // a job already gone — graphile-worker then leaves that one's queue lock behind, and the queue
    // never runs again. (graphile-worker locks a queue and its job in one statement, so a lock of a
    // moment is never orphaned; the dead-after time is a margin anyway.)
    const orphaned = await db.$queryRaw<{ queue_name: string }[]>`
      update graphile_worker._private_job_queues q set locked_by = null, locked_at = null
      where q.locked_by is not null and q.locked_at < now() - ${deadAfter}::interval
        and not exists (select 1 from graphile_worker._private_jobs j where j.job_queue_id = q.id and j.locked_by = q.locked_by)
      returning q.queue_name`
    if (orphaned.length) logger.warn({ queues: orphaned.map((q) => q.queue_name) }, 'unlocked job queues whose locker holds no job in them')
    await db.$executeRaw`delete from worker_heartbeats where last_seen < now() - interval '1 day'`
  }
  const tick = async () => {
    try {
      await beat()
      await reap()
    } catch (err) {
      logger.error({ err }, 'reaper tick failed')
    }
  }
  // One tick at a time, and stop() waits for the one under way: no query after the caller disconnects
  // (Prisma would quietly open a new pool for it).
  let running: Promise<void> | undefined
  const tickOnce = () => (running ??= tick().finally(() => (running = undefined)))
  const timer = setInterval(() => void tickOnce(), options.heartbeatMs)
  timer.unref()
  return {
    events,
    tick: tickOnce,
    async stop() {
      clearInterval(timer)
      await running
      if (workerIds.size) await db.$executeRaw`delete from worker_heartbeats where worker_id = any(${[...workerIds]}::text[])`.catch(() => {})
    },
  }
}
