// Checks a Readwise access token against Readwise's token endpoint (GET /api/v2/auth/ answers 204),
// for connecting and for testIntegration. Outcomes are values; unexpected failures throw.
import type { Outcome } from '../outcome.ts'
import type { IntegrationCheckReport as IntegrationTestReport } from '../notion/connection/checkNotionIntegration.ts'
import type { IntegrationCredentialsUnreadableError } from '../sync/integrationErrors.ts'
import { ReadwiseCallError } from './readwiseCallError.ts'
import type { ReadwiseClient } from './readwiseClient.ts'
import { ReadwiseRateLimitedError, ReadwiseTokenRejectedError, ReadwiseUnreachableError, type ReadwiseFailure } from './readwiseErrors.ts'
import { READWISE_TARGET } from './readwiseModel.ts'

export async function checkReadwiseToken(client: ReadwiseClient): Promise<Outcome<true, ReadwiseFailure>> {
  try {
    await client.checkToken()
    return { ok: true, value: true }
  } catch (error) {
    if (!(error instanceof ReadwiseCallError)) throw error
    if (error.kind === 'unauthorized') return { ok: false, error: new ReadwiseTokenRejectedError() }
    if (error.kind === 'rate_limited') return { ok: false, error: new ReadwiseRateLimitedError(Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000))) }
    return { ok: false, error: new ReadwiseUnreachableError(error.status ?? null) }
  }
}

/** testIntegration for Readwise: the stored token, checked now. */
export async function testReadwiseIntegration(
  credentials: Outcome<{ token: string }, IntegrationCredentialsUnreadableError>,
  makeClient: (token: string) => ReadwiseClient,
): Promise<IntegrationTestReport> {
  const base = { target: READWISE_TARGET, checkedAt: new Date(), databaseReachable: null, databaseId: null, dataSourceId: null, databaseTitle: null, properties: [] }
  if (!credentials.ok) return { ...base, ok: false, tokenAccepted: null, problem: credentials.error }
  const checked = await checkReadwiseToken(makeClient(credentials.value.token))
  if (checked.ok) return { ...base, ok: true, tokenAccepted: true, problem: null }
  return { ...base, ok: false, tokenAccepted: checked.error instanceof ReadwiseTokenRejectedError ? false : null, problem: checked.error }
}
