// An integration whose stored credentials cannot be opened, whatever its target: the user connects it again.
import { AppError } from '../errors.ts'

export class IntegrationCredentialsUnreadableError extends AppError {
  override readonly code = 'CREDENTIALS_UNREADABLE'
  constructor(
    message = 'The stored credentials cannot be opened with the configured master key (was INTEGRATION_MASTER_KEY changed?): connect the integration again',
  ) {
    super(message)
    this.name = 'IntegrationCredentialsUnreadableError'
  }
}
