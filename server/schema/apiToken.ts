// API tokens for the agent and third parties: created from a session, shown once, revocable.
import { builder } from '../builder.ts'
import { NotAllowedError, NotAuthenticatedError, NotFoundError, ValidationError } from '../errors.ts'
import { hashToken, makeToken, makeTokenDisplayPrefix } from '../auth/tokens.ts'
import { notifyEvents } from '../events/appEvent.ts'
import { ApiTokenScopeEnum } from './enums.ts'
import { parseGlobalId } from './globalIds.ts'
import type { ApiToken } from '../generated/prisma/client.ts'

export const ApiTokenRef = builder.prismaNode('ApiToken', {
  id: { field: 'id' },
  authScopes: { read: true },
  nullable: true,
  findUnique: (id, ctx) => ({ id: Number(id) || -1, userId: ctx.viewer?.kind === 'session' ? ctx.viewer.userId : -1 }),
  fields: (t) => ({
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'The first characters of the token, to tell tokens apart.' }),
    scopes: t.field({ type: [ApiTokenScopeEnum], resolve: (tok) => tok.scopes as ('agent' | 'read' | 'write')[] }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
})

const CreateApiTokenInput = builder.inputType('CreateApiTokenInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'What the token is for, e.g. "MacBook agent".' }),
    scopes: t.field({ type: [ApiTokenScopeEnum], required: true }),
  }),
})

const CreateApiTokenPayload = builder.objectRef<{ token: string; apiToken: ApiToken }>('CreateApiTokenPayload').implement({
  description: 'The token is shown this once.',
  fields: (t) => ({
    token: t.exposeString('token'),
    apiToken: t.field({ type: ApiTokenRef, resolve: (p) => p.apiToken }),
  }),
})

builder.mutationField('createApiToken', (t) =>
  t.withAuth({ session: true }).field({
    type: CreateApiTokenPayload,
    args: { input: t.arg({ type: CreateApiTokenInput, required: true }) },
    errors: { types: [ValidationError, NotAuthenticatedError, NotAllowedError], directResult: true, union: { name: 'CreateApiTokenResult' } },
    resolve: async (_root, { input }, ctx) => {
      const viewer = ctx.viewer
      const name = input.name.trim()
      if (!name || name.length > 100) throw new ValidationError('Give the token a name of 1–100 characters', 'name')
      const scopes = [...new Set(input.scopes)]
      if (scopes.length === 0) throw new ValidationError('Choose at least one scope', 'scopes')
      if ((await ctx.db.apiToken.count({ where: { userId: viewer.userId, revokedAt: null } })) >= 50)
        throw new ValidationError('You have 50 active tokens; revoke one first')
      const token = makeToken('api_token')
      const apiToken = await ctx.db.apiToken.create({
        data: { userId: viewer.userId, name, scopes, tokenHash: hashToken(token), prefix: makeTokenDisplayPrefix(token) },
      })
      return { token, apiToken }
    },
  }),
)

const RevokeApiTokenInput = builder.inputType('RevokeApiTokenInput', { fields: (t) => ({ id: t.id({ required: true }) }) })

builder.mutationField('revokeApiToken', (t) =>
  t.withAuth({ session: true }).field({
    type: ApiTokenRef,
    args: { input: t.arg({ type: RevokeApiTokenInput, required: true }) },
    errors: { types: [NotFoundError, NotAuthenticatedError, NotAllowedError], directResult: true, union: { name: 'RevokeApiTokenResult' } },
    resolve: async (_root, { input }, ctx) => {
      const viewer = ctx.viewer
      const id = parseGlobalId(String(input.id), 'ApiToken')
      const existing = await ctx.db.apiToken.findFirst({ where: { id, userId: viewer.userId } })
      if (!existing) throw new NotFoundError('No such API token')
      if (existing.revokedAt) return existing
      const revoked = await ctx.db.$transaction(async (tx) => {
        const revoked = await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } })
        // Open subscriptions made with it are closed by the servers that hear this.
        await notifyEvents(tx, [{ kind: 'token_revoked', tokenHash: existing.tokenHash }])
        return revoked
      })
      // This server refuses it from now on, before its own notice arrives.
      ctx.services.events.viewers.forget(existing.tokenHash)
      return revoked
    },
  }),
)
