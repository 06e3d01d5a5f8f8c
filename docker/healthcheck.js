/* global fetch, AbortSignal */
/**
 * The containers' health probe (the slim Node image has no curl).
 *
 *   node docker/healthcheck.js <path> [port variable]
 * asks http://127.0.0.1:<port><path>, the port read from the named
 * environment variable (PORT unless given), and exits 0 when the answer is
 * 200, 1 otherwise (another status, no answer within 4 s, no port). The API
 * answers /health/ready with 503 when its event store or database does not
 * answer, and 200 (status "ok" or "degraded") otherwise.
 *
 *   node docker/healthcheck.js --process <script>
 * a process-level check for a process that serves no HTTP (the worker):
 * exits 0 while a process of this container runs `<script>` (found in
 * /proc/<pid>/cmdline), 1 otherwise.
 */
import { readdirSync, readFileSync } from 'node:fs';

const [first = '/health/ready', second] = process.argv.slice(2);

if (first === '--process') {
  process.exit(second !== undefined && processRuns(second) ? 0 : fail(`no process runs ${second ?? '(no script named)'}`));
}

const portVariable = second ?? 'PORT';
const port = process.env[portVariable];
if (port === undefined || !/^[0-9]{1,5}$/.test(port)) process.exit(fail(`${portVariable} is not a port number (${port ?? 'unset'})`));

try {
  const response = await fetch(`http://127.0.0.1:${port}${first}`, { signal: AbortSignal.timeout(4_000) });
  process.exit(response.status === 200 ? 0 : fail(`${first} answered ${response.status}: ${(await response.text()).slice(0, 500)}`));
} catch (error) {
  process.exit(fail(`${first} on port ${port}: ${error instanceof Error ? error.message : String(error)}`));
}

/** Whether another process's arguments name `script`. */
function processRuns(script) {
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry) || Number(entry) === process.pid) continue;
    let argv;
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // ended meanwhile
    }
    if (argv.slice(1).some((argument) => argument === script || argument.endsWith(`/${script}`))) return true;
  }
  return false;
}

function fail(message) {
  console.error(`healthcheck: ${message}`);
  return 1;
}
