// `npm run quota:set-plan -- EMAIL PLAN`: moves a user to another plan (OCR_QUOTA_PLANS). The new
// limit applies to the running period at once; if it leaves room, the user's pages waiting for
// quota resume now (a resume_ocr_quota job, run by any worker).
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError, readConfig } from '../server/config.ts'
import { readOcrUsage, setUserPlan } from '../server/quota/index.ts'
import { openScriptDatabase } from './scriptDatabase.ts'

const USAGE = 'usage: npm run quota:set-plan -- EMAIL PLAN'

export async function runQuotaSetPlan(argv: readonly string[], print: (line: string) => void = console.log, env = process.env): Promise<number> {
  if (argv.length !== 2) {
    print(USAGE)
    return 2
  }
  const [email, plan] = [argv[0].trim(), argv[1].trim().toLowerCase()]
  const config = readConfig(env)
  const settings = config.ocr.quota
  const database = await openScriptDatabase(config, print)
  try {
    const user = await database.db.user.findFirst({ where: { email: { equals: email, mode: 'insensitive' } }, select: { id: true, email: true } })
    if (!user) {
      print(`no user with the email ${email}`)
      return 1
    }
    const result = await setUserPlan(database.db, settings, user.id, plan)
    if (!result.ok) {
      print(result.error.message)
      return 1
    }
    const usage = await readOcrUsage(database.db, settings, user.id)
    print(`${user.email}: plan ${result.previous} → ${result.plan} (${result.limit} handwriting pages per ${settings.periodDays} days)`)
    if (usage) print(`this period: ${usage.used} of ${usage.limit} used${usage.resetsAt ? `, resets ${usage.resetsAt.toISOString()}` : ''}; ${usage.pagesWaiting} page(s) waiting`)
    if (result.resume.kind === 'now') print('the waiting pages resume now (a worker picks them up)')
    else if (result.resume.kind === 'at') print(`the waiting pages resume at ${result.resume.runAt.toISOString()}`)
    return 0
  } finally {
    await database.close()
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  runQuotaSetPlan(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof ConfigError || err instanceof Error ? err.message : err)
      process.exit(1)
    },
  )
}
