/**
 * The background subscriptions every ledger instance hosts, API and worker
 * alike (one leader each across all of them, by advisory lock): the
 * reservation process manager and every projection (the stream views also
 * keep the deadlines the enforcer polls). One list, so an API
 * instance and a worker can never run different sets.
 */
import type { EventStore } from '#event-store';
import {
  buyRequestViewProjection,
  dealViewProjection,
  journalProjection,
  listingViewProjection,
  type LogSubscriber,
} from '#read-models';
import { ReservationProcessManager } from '../deals/reservation-process-manager.js';
import { createLedgerDeciders, type Clock, type LedgerPolicySettings } from '../ledger-command-settings.js';

export function backgroundSubscribers(store: EventStore, policies: LedgerPolicySettings, clock: Clock): LogSubscriber[] {
  return [
    new ReservationProcessManager({ store, deciders: createLedgerDeciders(policies), clock }),
    listingViewProjection(),
    dealViewProjection(),
    journalProjection(),
    buyRequestViewProjection(),
  ];
}
