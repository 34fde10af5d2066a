/** Why a file could not be read as a reMarkable v6 page. */
export type RmErrorCode =
  | 'empty'
  | 'not_rm'
  | 'unsupported_version'
  | 'truncated'
  | 'corrupt'
  | 'budget_exceeded'

export interface RmError {
  code: RmErrorCode
  message: string
  /** Byte offset where the problem was found, when there is one. */
  offset?: number
  /** Format version found in the header (for `unsupported_version`). */
  version?: number
}

export function makeRmError(code: RmErrorCode, message: string, extra: Omit<RmError, 'code' | 'message'> = {}): RmError {
  return { code, message, ...extra }
}

/**
 * Thrown inside one block's decoder when its bytes do not match the expected layout.
 * It never leaves the reader: the block is recorded as unreadable and reading goes on.
 */
export class BlockReadFailure extends Error {
  constructor(message: string, readonly offset: number) {
    super(message)
    this.name = 'BlockReadFailure'
  }
}

/**
 * Thrown when the step budget runs out. It unwinds the whole parse (blocks do not
 * swallow it) and becomes a `budget_exceeded` result.
 */
export class BudgetExhausted extends Error {
  constructor(readonly maxSteps: number) {
    super(`step budget of ${maxSteps} exhausted`)
    this.name = 'BudgetExhausted'
  }
}
