// The token of an `Authorization: Bearer <token>` value (HTTP header or graphql-ws connection param).
export function readBearerToken(value: string | null | undefined): string | undefined {
  if (!value) return undefined
  const m = /^Bearer\s+(\S+)$/i.exec(value.trim())
  return m?.[1]
}
