/**
 * The buy-request stream's decider as one value, the shape libs/commands'
 * runner and the given/when/then specs take. It has no configuration: the
 * deadline is a term of each request, not a policy of the ledger.
 */
import type { Decider } from '../decider.js';
import { decodeBuyRequestEvent, encodeBuyRequestEvent } from './buy-request.codec.js';
import type { BuyRequestCommand } from './buy-request.commands.js';
import { decideBuyRequest } from './buy-request.decide.js';
import type { BuyRequestEvent } from './buy-request.events.js';
import { evolveBuyRequest } from './buy-request.evolve.js';
import { type BuyRequestState, initialBuyRequestState } from './buy-request.state.js';

export type BuyRequestDecider = Decider<BuyRequestState, BuyRequestCommand, BuyRequestEvent>;

export const buyRequestDecider: BuyRequestDecider = {
  initialState: initialBuyRequestState,
  decide: decideBuyRequest,
  evolve: evolveBuyRequest,
  encode: encodeBuyRequestEvent,
  decode: decodeBuyRequestEvent,
};
