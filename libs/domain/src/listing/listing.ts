/** The listing stream: `listing-<id>`, one seller's credits on offer and the lock against over-selling. */
export * from './listing.commands.js';
export * from './listing.events.js';
export * from './listing.state.js';
export * from './listing.policy.js';
export * from './listing.decide.js';
export * from './listing.evolve.js';
export * from './listing.codec.js';
export * from './listing.decider.js';
export * from './listing.access.js';
export * from './listing-journal.js';

/** The stream that holds one listing's facts. */
export function listingStreamId(listingId: string): string {
  return `listing-${listingId}`;
}
