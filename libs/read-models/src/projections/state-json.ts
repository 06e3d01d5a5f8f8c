/**
 * JSON for folded domain states, which hold bigint amounts, Dates and Maps:
 * each is written as a one-key tagged object and read back as itself, so a
 * view can store the state it folded and go on evolving it batch after
 * batch. Plain JSON objects with a `$`-key are not produced by the domain.
 */
type Tagged = { $bigint: string } | { $date: string } | { $map: Array<[unknown, unknown]> };

export function stateToJson(value: unknown): string {
  return JSON.stringify(tag(value));
}

export function stateFromJson<State>(json: unknown): State {
  return untag(typeof json === 'string' ? JSON.parse(json) : json) as State;
}

function tag(value: unknown): unknown {
  if (typeof value === 'bigint') return { $bigint: value.toString() } satisfies Tagged;
  if (value instanceof Date) return { $date: value.toISOString() } satisfies Tagged;
  if (value instanceof Map) return { $map: [...value.entries()].map(([key, item]) => [tag(key), tag(item)]) } satisfies Tagged;
  if (Array.isArray(value)) return value.map(tag);
  if (value !== null && typeof value === 'object') {
    const tagged: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) setOwn(tagged, key, tag(item));
    return tagged;
  }
  return value;
}

function untag(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untag);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1) {
    if (typeof record.$bigint === 'string') return BigInt(record.$bigint);
    if (typeof record.$date === 'string') return new Date(record.$date);
    if (Array.isArray(record.$map)) return new Map((record.$map as Array<[unknown, unknown]>).map(([key, item]) => [untag(key), untag(item)]));
  }
  const plain: Record<string, unknown> = {};
  for (const key of keys) setOwn(plain, key, untag(record[key]));
  return plain;
}

/** Sets an own property even for a key such as `__proto__`, which plain assignment would turn into a prototype change. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
