// Accounts: sign up, log in, log out. Tokens are returned once; only their hashes are stored.
import { builder } from '../builder.ts'
import { ConflictError, NotAuthenticatedError, RateLimitedError, ValidationError, isUniqueViolation } from '../errors.ts'
import { hashPassword, verifyPassword, DUMMY_PASSWORD_HASH } from '../auth/password.ts'
import { createSession } from '../auth/sessions.ts'
import { takeToken } from '../rateLimit/tokenBucket.ts'
import { clearLoginFailures, readLoginWait, recordLoginFailure } from '../auth/loginThrottle.ts'
import { notifyEvents } from '../events/appEvent.ts'
import { ViewerRef } from './viewer.ts'
import { actAsSession, type Context } from '../context.ts'
import type { User } from '../generated/prisma/client.ts'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

function readEmail(raw: string): string {
  const email = raw.trim().toLowerCase()
  if (email.length > 254 || !EMAIL.test(email)) throw new ValidationError('Enter a valid email address', 'email')
  return email
}

function checkNewPassword(password: string): void {
  // Control characters (NUL, newlines, escapes) are not typed on a keyboard and break some clients.
  if (/\p{Cc}/u.test(password)) throw new ValidationError('Use printable characters only (no control characters)', 'password')
  if (!password.trim()) throw new ValidationError('Use characters other than spaces', 'password')
  if (password.length < 10) throw new ValidationError('Use at least 10 characters', 'password')
  if (password.length > 256) throw new ValidationError('Use at most 256 characters', 'password')
}

/** Refuses the attempt before any hashing while this address must wait for this email (loginThrottle.ts). */
async function limitLoginAttempt(ctx: Context, email: string) {
  const wait = await readLoginWait(ctx.db, email, ctx.clientAddress)
  if (wait > 0) {
    ctx.responseHints.retryAfterSeconds = wait
    throw new RateLimitedError(wait, `Too many sign-in attempts; retry after ${wait} s`)
  }
}

export const AuthPayload = builder.objectRef<{ token: string; viewer: User }>('AuthPayload').implement({
  description: 'A new dashboard session. The token is shown this once; send it as Authorization: Bearer <token>. The viewer, and everything under it, is read as this session.',
  fields: (t) => ({
    token: t.exposeString('token'),
    viewer: t.field({ type: ViewerRef, resolve: (p) => p.viewer }),
  }),
})

const SignUpInput = builder.inputType('SignUpInput', {
  fields: (t) => ({ email: t.string({ required: true }), password: t.string({ required: true, extensions: { secret: true } }) }),
})
const LogInInput = builder.inputType('LogInInput', {
  fields: (t) => ({ email: t.string({ required: true }), password: t.string({ required: true, extensions: { secret: true } }) }),
})

builder.mutationField('signUp', (t) =>
  t.field({
    type: AuthPayload,
    args: { input: t.arg({ type: SignUpInput, required: true }) },
    errors: { types: [ValidationError, ConflictError, RateLimitedError], directResult: true, union: { name: 'SignUpResult' } },
    resolve: async (_root, { input }, ctx) => {
      const email = readEmail(input.email)
      checkNewPassword(input.password)
      const signUps = await takeToken(ctx.db, `signup:addr:${ctx.clientAddress}`, { perSecond: 10 / 3600, burst: 20 })
      if (!signUps.allowed) {
        ctx.responseHints.retryAfterSeconds = signUps.retryAfterSeconds
        throw new RateLimitedError(signUps.retryAfterSeconds)
      }
      const passwordHash = await hashPassword(input.password)
      try {
        const user = await ctx.db.user.create({ data: { email, passwordHash } })
        const token = await createSession(ctx.db, user.id)
        await actAsSession(ctx, token)
        return { token, viewer: user }
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError('An account with this email already exists; log in instead')
        throw err
      }
    },
  }),
)

builder.mutationField('logIn', (t) =>
  t.field({
    type: AuthPayload,
    args: { input: t.arg({ type: LogInInput, required: true }) },
    errors: { types: [ValidationError, NotAuthenticatedError, RateLimitedError], directResult: true, union: { name: 'LogInResult' } },
    resolve: async (_root, { input }, ctx) => {
      const email = readEmail(input.email)
      await limitLoginAttempt(ctx, email)
      const user = await ctx.db.user.findUnique({ where: { email } })
      // Verify against a dummy hash for unknown emails, so the time taken does not tell them apart.
      const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_PASSWORD_HASH)
      if (!user || !ok) {
        await recordLoginFailure(ctx.db, email, ctx.clientAddress)
        throw new NotAuthenticatedError('Email or password is wrong')
      }
      await clearLoginFailures(ctx.db, email, ctx.clientAddress)
      const token = await createSession(ctx.db, user.id)
      await actAsSession(ctx, token)
      return { token, viewer: user }
    },
  }),
)

const LogOutPayload = builder.objectRef<{ loggedOut: boolean }>('LogOutPayload').implement({
  fields: (t) => ({ loggedOut: t.exposeBoolean('loggedOut') }),
})

builder.mutationField('logOut', (t) =>
  t.withAuth({ signedIn: true }).field({
    type: LogOutPayload,
    errors: { types: [NotAuthenticatedError], directResult: true, union: { name: 'LogOutResult' } },
    resolve: async (_root, _args, ctx) => {
      const viewer = ctx.viewer
      if (viewer.kind === 'session') {
        await ctx.db.session.update({ where: { id: viewer.tokenId }, data: { revokedAt: new Date() } })
        await notifyEvents(ctx.db, [{ kind: 'token_revoked', tokenHash: viewer.tokenHash }])
        ctx.services.events.viewers.forget(viewer.tokenHash)
      }
      return { loggedOut: true }
    },
  }),
)
