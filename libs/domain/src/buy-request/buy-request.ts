/** The buy-request stream: `buy-request-<id>`, one buyer's standing demand, filled by one or more deals. */
export * from './buy-request.commands.js';
export * from './buy-request.events.js';
export * from './buy-request.state.js';
export * from './buy-request.policy.js';
export * from './buy-request.decide.js';
export * from './buy-request.evolve.js';
export * from './buy-request.codec.js';
export * from './buy-request.decider.js';
export * from './buy-request.access.js';

/** The stream that holds one buy request's facts. */
export function buyRequestStreamId(buyRequestId: string): string {
  return `buy-request-${buyRequestId}`;
}
