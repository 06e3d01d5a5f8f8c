/**
 * The read-model database as the query handlers see it: anything that runs
 * `query(sql, parameters)` — the TypeORM DataSource of the API (which
 * answers the rows) or a pg pool (which answers `{ rows }`).
 */
export interface ReadModelDatabase {
  query(sql: string, parameters: unknown[]): Promise<unknown>;
}

/** Dependency-injection token of the ReadModelDatabase the query handlers read. */
export const READ_MODEL_DATABASE = Symbol('READ_MODEL_DATABASE');

export async function queryRows<Row>(database: ReadModelDatabase, sql: string, parameters: unknown[]): Promise<Row[]> {
  const result = await database.query(sql, parameters);
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Row[];
}

/** WHERE clauses with numbered parameters, built one filter at a time. */
export class SqlConditions {
  private readonly clauses: string[] = [];
  readonly parameters: unknown[] = [];

  /** `clause` names its parameters `$?` in order; each is numbered here. */
  add(clause: string, ...values: unknown[]): this {
    let next = 0;
    this.clauses.push(clause.replace(/\$\?/g, () => `$${this.parameters.length + ++next}`));
    this.parameters.push(...values);
    return this;
  }

  where(): string {
    return this.clauses.length === 0 ? '' : `WHERE ${this.clauses.join(' AND ')}`;
  }

  /** The next free parameter, for LIMIT. */
  placeholder(value: unknown): string {
    this.parameters.push(value);
    return `$${this.parameters.length}`;
  }
}
