export default async function teardown() {
  await globalThis.__embeddedTestPostgres?.stop();
}
