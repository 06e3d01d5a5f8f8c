/**
 * The deal stream's decider as one value, the shape libs/commands' runner
 * and the given/when/then specs take.
 */
import type { Decider } from '../decider.js';
import type { DealCommand } from './deal.commands.js';
import { decodeDealEvent, encodeDealEvent } from './deal.codec.js';
import { decideDeal } from './deal.decide.js';
import type { DealEvent } from './deal.events.js';
import { evolveDeal } from './deal.evolve.js';
import { DEFAULT_DEAL_POLICY, type DealPolicy } from './deal.policy.js';
import { type DealState, initialDealState } from './deal.state.js';

export type DealDecider = Decider<DealState, DealCommand, DealEvent>;

/** A deal decider bound to a policy (LEDGER_APPROVAL_WINDOW_MS from the configuration). */
export function createDealDecider(policy: DealPolicy = DEFAULT_DEAL_POLICY): DealDecider {
  return {
    initialState: initialDealState,
    decide: (state, command, now) => decideDeal(state, command, now, policy),
    evolve: evolveDeal,
    encode: encodeDealEvent,
    decode: decodeDealEvent,
  };
}

export const dealDecider: DealDecider = createDealDecider();
