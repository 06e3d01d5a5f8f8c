export type { CommandContext } from './stream/command-context.js';
export { derivedId } from './stream/derived-id.js';
export type { StoredEventShape, StreamDecider } from './stream/stream-decider.js';
export { KeyedQueue } from './stream/keyed-queue.js';
export { foldStream, runStreamCommand, type StreamCommandRequest, type StreamCommandResult } from './stream/run-stream-command.js';
export type { CommandOutcome } from './command-outcome.js';
export { LEDGER_CLOCK, LEDGER_DECIDERS, createLedgerDeciders, type Clock, type LedgerDeciders, type LedgerPolicySettings } from './ledger-command-settings.js';
export { ExecuteListingCommand, type ListingCommandInput } from './listings/execute-listing-command.js';
export { ExecuteDealCommand, type DealCommandInput } from './deals/execute-deal-command.js';
export { ExecuteBuyRequestCommand, type BuyRequestCommandInput } from './buy-requests/execute-buy-request-command.js';
export { OpenDealCommand, type OpenDealRequestData } from './deals/open-deal.js';
export { ReservationProcessManager, RESERVATION_PROCESS_MANAGER } from './deals/reservation-process-manager.js';
export { QuoteDealQuery } from './quotes/quote-deal.js';
export { LedgerCommandsModule, type LedgerCommandsOptions } from './ledger-commands.module.js';
export {
  DeadlineEnforcer,
  DEADLINE_CONCURRENCY,
  DEADLINE_PAGE_SIZE,
  DEADLINE_RETRY_AFTER_MS,
  type DeadlineEnforcerOptions,
  type DueDeadlineCursor,
  type DueDeadlineSource,
  type EnforcerLeadership,
  type EnforcerStatus,
  type ExpiryCommandBus,
  type ExpiryOutcome,
  type SweepReport,
} from './deadlines/deadline-enforcer.js';
export { DEADLINE_ENFORCER, expiryCommandMessage, expiryContext, type DueDeadline, type ExpiryCommandMessage } from './deadlines/expiry-command.js';
export { backgroundSubscribers } from './background/background-subscribers.js';
