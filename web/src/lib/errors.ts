// Every failure shown to a user is a sentence they can act on: the API's typed errors carry one
// already; transport failures get one here. Raw JSON never reaches the screen.
import type { CombinedError } from 'urql'

export interface TypedError {
  __typename: string
  message?: string
  code?: string
}

const NETWORK = 'The service could not be reached. Check your connection and try again.'
const UNEXPECTED = 'Something went wrong on our side. Try again in a moment.'

/** The sentence for a failed request (no typed result came back). */
export function describeRequestError(error: CombinedError | undefined): string | null {
  if (!error) return null
  if (error.networkError) return NETWORK
  const first = error.graphQLErrors[0]
  const code = first?.extensions?.code
  if (code === 'RATE_LIMITED') return first.message || 'Too many requests; wait a moment and try again.'
  if (code === 'NOT_AUTHENTICATED') return 'Your session has ended. Log in again to continue.'
  return UNEXPECTED
}

/** A typed error result (`... on Error { message }`), or null when the result is not one. */
export function readTypedError(result: TypedError | null | undefined): { message: string; code?: string; field?: string } | null {
  if (!result || !result.__typename.endsWith('Error')) return null
  const field = (result as { field?: string | null }).field ?? undefined
  return { message: result.message || UNEXPECTED, code: result.code, field }
}
