/**
 * The background subscriptions an API instance hosts: the reservation
 * process manager and every projection. One list for both ways of running
 * them (background-subscriptions.ts).
 */
import { ReservationProcessManager, createLedgerDeciders, type Clock } from '#commands';
import type { EventStore } from '#event-store';
import {
  buyRequestViewProjection,
  dealViewProjection,
  deadlinesProjection,
  journalProjection,
  listingViewProjection,
  type LogSubscriber,
} from '#read-models';

export interface BackgroundPolicies {
  readonly expiryMarginMs: number;
  readonly approvalWindowMs: number;
}

export function backgroundSubscribers(store: EventStore, policies: BackgroundPolicies, clock: Clock): LogSubscriber[] {
  return [
    new ReservationProcessManager({ store, deciders: createLedgerDeciders(policies), clock }),
    listingViewProjection(),
    dealViewProjection(),
    journalProjection(),
    buyRequestViewProjection(),
    deadlinesProjection(),
  ];
}
