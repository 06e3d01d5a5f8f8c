import { verifyEveryStream, type EveryStreamVerification } from '#read-models';
import type { EventStore } from '#event-store';

export interface VerifyOutcome {
  readonly exitCode: 0 | 1;
  readonly report: string;
}

/** The summary printed by `verify`; the first broken stream is named first. */
export function verifyReport(result: EveryStreamVerification): VerifyOutcome {
  const summary = `verified ${result.streams} streams, ${result.events} events`;
  if (result.valid) return { exitCode: 0, report: `${summary}: every hash chain is intact\n` };
  const [first] = result.broken;
  const lines = [
    `BROKEN: stream ${first!.stream} at revision ${first!.brokenAt} (${first!.reason})`,
    ...result.broken.slice(1).map((broken) => `also broken: stream ${broken.stream} at revision ${broken.brokenAt} (${broken.reason})`),
    `${summary}: ${result.broken.length} broken`,
  ];
  return { exitCode: 1, report: `${lines.join('\n')}\n` };
}

/** `verify`: every stream's hash chain; exit code 1 names the first broken stream and revision. */
export async function runVerify(store: EventStore): Promise<VerifyOutcome> {
  return verifyReport(await verifyEveryStream(store));
}
