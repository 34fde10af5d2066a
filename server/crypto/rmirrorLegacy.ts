// The Python rmirror-cloud service's config encryption, for `npm run keys:import-rmirror`.
// Its master key is a Fernet key (first 16 bytes signing, last 16 encryption); per user:
//   user_key = urlsafe_b64encode(sha256(master_decoded[16:32] + b"user_{id}_salt"))
//   config_encrypted = Fernet(user_key).encrypt(json.dumps(config))
// A stored value starting with "{" is legacy plain JSON, which that service also reads.
import { createHash } from 'node:crypto'
import { decryptFernet } from './fernet.ts'
import { parseJsonObject, type JsonObject } from './jsonObject.ts'
import { normalizeUserId, toMasterKey, type MasterKeyInput } from './keys.ts'

export type RmirrorConfigError = {
  code: 'undecryptable' | 'invalid_json' | 'not_a_json_object'
  message: string
}
export type RmirrorConfigResult =
  | { ok: true; kind: 'fernet' | 'legacy_plain_json'; config: JsonObject }
  | { ok: false; error: RmirrorConfigError }

const MESSAGES: Record<RmirrorConfigError['code'], string> = {
  undecryptable: "The rmirror-cloud config does not open under that service's master key for this user id",
  invalid_json: 'The rmirror-cloud config is not valid JSON',
  not_a_json_object: 'The rmirror-cloud config is not a JSON object',
}

/** The 32 raw bytes of that service's per-user Fernet key (Python base64-encodes these same bytes). */
export function deriveRmirrorUserKey(masterKey: MasterKeyInput, userId: string | number | bigint): Buffer {
  const encryptionHalf = toMasterKey(masterKey).bytes().subarray(16, 32)
  const salt = Buffer.from(`user_${normalizeUserId(userId)}_salt`, 'utf8')
  return createHash('sha256').update(encryptionHalf).update(salt).digest()
}

/** Reads one stored value of that service: a Fernet token, or legacy plain JSON (said by `kind`). */
export function decryptRmirrorConfig(
  masterKey: MasterKeyInput,
  userId: string | number | bigint,
  value: string,
): RmirrorConfigResult {
  if (value.startsWith('{')) {
    const parsed = parseJsonObject(value)
    return parsed.ok ? { ok: true, kind: 'legacy_plain_json', config: parsed.value } : fail(parsed.code)
  }
  const opened = decryptFernet(deriveRmirrorUserKey(masterKey, userId), value)
  if (!opened.ok) return fail('undecryptable')
  const parsed = parseJsonObject(opened.plaintext)
  return parsed.ok ? { ok: true, kind: 'fernet', config: parsed.value } : fail(parsed.code)
}

function fail(code: RmirrorConfigError['code']): { ok: false; error: RmirrorConfigError } {
  return { ok: false, error: { code, message: MESSAGES[code] } }
}
