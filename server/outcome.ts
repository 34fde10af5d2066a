// An expected failure as a value: { ok: true, value } or { ok: false, error } with an error the user can act on.
export type Outcome<T, E> = { ok: true; value: T } | { ok: false; error: E }
