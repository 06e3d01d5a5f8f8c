/** The deal stream: `deal-<id>`, one match of a listing with a buyer, from opening to settlement. */
export * from './deal.commands.js';
export * from './deal.events.js';
export * from './deal.state.js';
export * from './deal.policy.js';
export * from './deal.decide.js';
export * from './deal.evolve.js';
export * from './deal.codec.js';
export * from './deal.decider.js';
export * from './deal-journal.js';
export * from './deal-quote.js';

/** The stream that holds one deal's facts. */
export function dealStreamId(dealId: string): string {
  return `deal-${dealId}`;
}
