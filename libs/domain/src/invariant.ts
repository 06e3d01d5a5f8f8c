/**
 * Programmer errors (TIGER_STYLE): a broken invariant means the code is
 * wrong, so it crashes with a plain Error instead of becoming a business
 * rejection that someone might handle and carry on.
 */
export class InvariantViolation extends Error {
  constructor(message: string) {
    super(`invariant violated: ${message}`);
    this.name = 'InvariantViolation';
  }
}

export function invariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new InvariantViolation(message);
}

/** The `default` branch of an exhaustive switch: unreachable when the types hold. */
export function assertNever(value: never): never {
  throw new InvariantViolation(`unexpected value ${JSON.stringify(value, (_key, field: unknown) => (typeof field === 'bigint' ? field.toString() : field))}`);
}
