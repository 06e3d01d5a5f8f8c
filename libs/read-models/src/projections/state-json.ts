/**
 * JSON for folded domain states, which hold bigint amounts, Dates and Maps:
 * each is written as a one-key tagged object and read back as itself, so a
 * view can store the state it folded and go on evolving it batch after
 * batch. Plain JSON objects with a `$`-key are not produced by the domain.
 */
type Tagged = { $bigint: string } | { $date: string } | { $map: Array<[unknown, unknown]> };

export function stateToJson(value: unknown): string {
  // A tagged copy, then the native serializer: a replacer function would take JSON.stringify off its fast path.
  return JSON.stringify(tag(value));
}

export function stateFromJson<State>(json: unknown): State {
  return (typeof json === 'string' ? JSON.parse(json, untagReviver) : untag(json)) as State;
}

function tag(value: unknown): unknown {
  if (typeof value === 'bigint') return { $bigint: value.toString() } satisfies Tagged;
  if (value instanceof Date) return { $date: value.toISOString() } satisfies Tagged;
  if (value instanceof Map) return { $map: Array.from(value, ([key, item]) => [tag(key), tag(item)]) } satisfies Tagged;
  if (Array.isArray(value)) return value.map(tag);
  if (value !== null && typeof value === 'object') {
    const tagged: Record<string, unknown> = {};
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      if (key === '__proto__') setOwn(tagged, key, tag(item));
      else tagged[key] = tag(item);
    }
    return tagged;
  }
  return value;
}

/** JSON.parse defines own properties (even `__proto__`) and calls this innermost first. */
function untagReviver(_key: string, value: unknown): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? fromTagged(value as Record<string, unknown>) ?? value : value;
}

function fromTagged(record: Record<string, unknown>): unknown {
  const keys = Object.keys(record);
  if (keys.length !== 1) return undefined;
  if (typeof record.$bigint === 'string') return BigInt(record.$bigint);
  if (typeof record.$date === 'string') return new Date(record.$date);
  if (Array.isArray(record.$map)) return new Map(record.$map as Array<[unknown, unknown]>);
  return undefined;
}

/** The same, for JSON the driver has parsed already. */
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
  for (const key of keys) {
    if (key === '__proto__') setOwn(plain, key, untag(record[key]));
    else plain[key] = untag(record[key]);
  }
  return plain;
}

/** Sets an own property even for a key such as `__proto__`, which plain assignment would turn into a prototype change. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
