/** Set by the Jest global setup to the PostgreSQL server of the test run. */
export const TEST_POSTGRES_URL_VARIABLE = 'LEDGER_TEST_POSTGRES_URL';

export function testServerUrl(): string {
  const url = process.env[TEST_POSTGRES_URL_VARIABLE];
  if (url === undefined) throw new Error(`${TEST_POSTGRES_URL_VARIABLE} is unset: run the tests through npm test (jest globalSetup)`);
  return url;
}
