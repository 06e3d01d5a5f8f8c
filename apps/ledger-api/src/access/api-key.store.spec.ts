import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { generateApiKey, hashApiKey } from './api-key.js';
import { ApiKeyStore } from './api-key.store.js';

interface Statement {
  readonly text: string;
  readonly values: readonly unknown[];
}

/**
 * A PostgreSQL DataSource that records every statement sent to it (through
 * TypeORM, a transaction, or the pg pool the hot path uses) and answers
 * what `answer` gives for it: what the database is asked to compare.
 */
function recordingDataSource(answer: (text: string) => Array<Record<string, unknown>>): { dataSource: DataSource; statements: Statement[] } {
  const statements: Statement[] = [];
  const query = async (text: string, values: readonly unknown[] = []): Promise<unknown[]> => {
    statements.push({ text, values });
    return answer(text);
  };
  const dataSource = {
    options: { type: 'postgres' },
    driver: { master: { query: async (statement: { text: string; values: unknown[] }) => ({ rows: await query(statement.text, statement.values) }) } },
    query,
    transaction: async <T>(work: (manager: { query: typeof query }) => Promise<T>): Promise<T> => work({ query }),
  };
  return { dataSource: dataSource as unknown as DataSource, statements };
}

describe('API keys are compared by their SHA-256 digest only', () => {
  const key = generateApiKey('broker');
  const digest = createHash('sha256').update(key, 'utf8').digest('hex');

  it('looks a key up by its digest: the key itself never reaches the database, which compares digests', async () => {
    const activeKey = [{ principal_id: 'broker-ada', role: 'broker' }];
    const { dataSource, statements } = recordingDataSource((text) => (text.includes('revoked_at IS NULL') && text.startsWith('SELECT') ? activeKey : []));
    const store = new ApiKeyStore(dataSource);

    expect(await store.authenticate(key)).toEqual({ principalId: 'broker-ada', role: 'broker' });
    await store.issue(key, 'broker-ada', 'broker', 'Ada at Acme');
    await store.installAdminKey(key);

    expect(statements.length).toBeGreaterThanOrEqual(3);
    expect(statements.filter((statement) => statement.values.includes(digest)).length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(statements)).not.toContain(key);
  });

  it('turns every key, whatever its length, into a digest of the same length, so what is compared does not depend on the key', () => {
    const digests = ['k', 'x'.repeat(200), key, `${key}-`].map(hashApiKey);

    for (const one of digests) expect(one).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(digests).size).toBe(digests.length);
    expect(hashApiKey(key)).toBe(digest);
  });
});
