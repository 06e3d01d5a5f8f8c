import { at } from '../../../testing/src/given-when-then.js';
import { DomainError } from '../domain-error.js';
import type { Actor } from '../stream-owner.js';
import { BUY_REQUEST_OWNER_COMMANDS, refuseBuyRequestNonOwner } from './buy-request.access.js';
import type { BuyRequestCommand } from './buy-request.commands.js';
import type { BuyRequestPlaced } from './buy-request.events.js';
import { foldBuyRequestEvents } from './buy-request.evolve.js';

const BUY_REQUEST_ID = 'request-1';

function placed(placedBy: string | null): BuyRequestPlaced {
  return {
    type: 'BuyRequestPlaced',
    data: {
      buyRequestId: BUY_REQUEST_ID,
      buyerId: 'buyer-1',
      provider: 'openai',
      creditTypes: ['prepaid_api'],
      faceValueCents: 1_000_000n,
      maxPriceBps: 6_000,
      minValidityDays: 30,
      deadline: at('2026-04-01T00:00:00Z'),
      placedBy,
      placedAt: at('2026-03-01T00:00:00Z'),
    },
  };
}

const ownersRequest = foldBuyRequestEvents([placed('broker-ana')]);
/** Recorded before placers were: decoded with placedBy null. */
const legacyRequest = foldBuyRequestEvents([placed(null)]);

const ownerCommands: BuyRequestCommand[] = [
  { type: 'AmendBuyRequest', buyRequestId: BUY_REQUEST_ID, maxPriceBps: 6_500 },
  { type: 'CancelBuyRequest', buyRequestId: BUY_REQUEST_ID, reason: 'bought elsewhere' },
];

/** Any broker's deal fills a request; the process managers and the deadline enforcer record the rest. */
const sharedCommands: BuyRequestCommand[] = [
  { type: 'RecordBuyRequestFill', buyRequestId: BUY_REQUEST_ID, dealId: 'deal-1', faceValueCents: 100_000n },
  { type: 'ReleaseBuyRequestFill', buyRequestId: BUY_REQUEST_ID, dealId: 'deal-1' },
  { type: 'ReduceBuyRequestFill', buyRequestId: BUY_REQUEST_ID, dealId: 'deal-1', faceValueCents: 50_000n },
  { type: 'ExpireBuyRequest', buyRequestId: BUY_REQUEST_ID },
];

const actor = (actorId: string, actorRole: string): Actor => ({ actorId, actorRole });
const owner = actor('broker-ana', 'broker');
const admin = actor('admin', 'admin');

function refusal(run: () => void): string | null {
  try {
    run();
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe('who may change a buy request', () => {
  it('names every command that changes the demand itself', () => {
    expect(ownerCommands.map((command) => command.type)).toEqual([...BUY_REQUEST_OWNER_COMMANDS]);
  });

  it.each(ownerCommands.map((command) => [command.type, command] as const))('lets the placing broker and an admin %s, and refuses anyone else', (_type, command) => {
    expect(refusal(() => refuseBuyRequestNonOwner(ownersRequest, command, owner))).toBeNull();
    expect(refusal(() => refuseBuyRequestNonOwner(ownersRequest, command, admin))).toBeNull();
    for (const other of [actor('broker-ben', 'broker'), actor('broker-ana', 'compliance'), actor('deadline-enforcer', 'system')]) {
      expect(refusal(() => refuseBuyRequestNonOwner(ownersRequest, command, other))).toBe('NOT_BUY_REQUEST_OWNER');
    }
  });

  it('leaves a request recorded before placers were to an admin alone', () => {
    for (const command of ownerCommands) {
      expect(refusal(() => refuseBuyRequestNonOwner(legacyRequest, command, admin))).toBeNull();
      expect(refusal(() => refuseBuyRequestNonOwner(legacyRequest, command, owner))).toBe('NOT_BUY_REQUEST_OWNER');
    }
  });

  it.each(sharedCommands.map((command) => [command.type, command] as const))('lets every broker and the system %s', (_type, command) => {
    for (const anyone of [owner, actor('broker-ben', 'broker'), actor('reservation-process-manager', 'system'), admin]) {
      expect(refusal(() => refuseBuyRequestNonOwner(ownersRequest, command, anyone))).toBeNull();
    }
  });

  it('leaves a request that does not exist to the decider (BUY_REQUEST_NOT_FOUND)', () => {
    expect(refusal(() => refuseBuyRequestNonOwner(foldBuyRequestEvents([]), ownerCommands[1]!, actor('broker-ben', 'broker')))).toBeNull();
  });
});
