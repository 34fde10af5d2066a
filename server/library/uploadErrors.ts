import { AppError } from '../errors.ts'

export class InvalidFileError extends AppError {
  override readonly code = 'INVALID_FILE'
  constructor(message: string) {
    super(message)
    this.name = 'InvalidFileError'
  }
}

export class FileTooLargeError extends AppError {
  override readonly code = 'FILE_TOO_LARGE'
  constructor(readonly size: number, readonly maxBytes: number) {
    super(`The file has ${size} bytes; at most ${maxBytes} are accepted`)
    this.name = 'FileTooLargeError'
  }
}
