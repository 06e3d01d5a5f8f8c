import { Controller, Get, Param, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  AccountBalanceQuery,
  AccountPostingsQuery,
  JournalEntriesQuery,
  ListAccountBalancesQuery,
  type AccountBalance,
  type AccountBalanceItem,
  type AccountPostingItem,
  type JournalEntryItem,
  type JournalPage,
} from '#read-models';
import { CurrentPrincipal, Roles } from '../access/access.decorators.js';
import type { Principal } from '../access/principal.js';
import { notFound } from '../http/api-error.js';
import { LedgerParameterDocs as Docs, parseAccount, parseAccountCursor, parseAsOf, parseDealIdFilter, parseLedgerPageLimit, parseLogCursor } from './ledger-query-params.js';

/**
 * The books' routes of shared/API.md. Accounts aggregate every broker's
 * deals (`cash`, `revenue:commission`, a seller's payable across brokers),
 * so brokers may not read them (403); a broker reads the journal of the
 * deals it brokers only, and another broker's deal is 404 like an unknown
 * one. Compliance, dashboard and admin read everything.
 */
@Controller('v1/ledger')
@Roles('compliance', 'dashboard', 'admin')
export class LedgerController {
  constructor(private readonly queries: QueryBus) {}

  @Get('accounts')
  @Docs.limit() @Docs.cursor()
  accounts(@QueryParam('limit') limit: unknown, @QueryParam('cursor') cursor: unknown): Promise<JournalPage<AccountBalanceItem>> {
    return this.queries.execute(new ListAccountBalancesQuery(parseLedgerPageLimit(limit), parseAccountCursor(cursor)));
  }

  @Get('accounts/:account')
  @Docs.account() @Docs.asOf()
  async account(@Param('account') account: unknown, @QueryParam('asOf') asOf: unknown): Promise<AccountBalance> {
    const name = parseAccount(account);
    const balance = await this.queries.execute(new AccountBalanceQuery(name, parseAsOf(asOf)));
    if (balance === null) throw notFound(`No postings to account ${name}`);
    return balance;
  }

  @Get('accounts/:account/entries')
  @Docs.account() @Docs.limit() @Docs.cursor()
  async accountEntries(@Param('account') account: unknown, @QueryParam('limit') limit: unknown, @QueryParam('cursor') cursor: unknown): Promise<JournalPage<AccountPostingItem>> {
    const name = parseAccount(account);
    const entries = await this.queries.execute(new AccountPostingsQuery(name, parseLedgerPageLimit(limit), parseLogCursor(cursor)));
    if (entries === null) throw notFound(`No postings to account ${name}`);
    return entries;
  }

  @Get('journal')
  @Docs.dealId() @Docs.limit() @Docs.cursor()
  @Roles('broker', 'compliance', 'dashboard', 'admin')
  async journal(
    @QueryParam('dealId') dealId: unknown,
    @QueryParam('limit') limit: unknown,
    @QueryParam('cursor') cursor: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<JournalPage<JournalEntryItem>> {
    const deal = parseDealIdFilter(dealId);
    const brokerId = principal.role === 'broker' ? principal.principalId : null;
    const entries = await this.queries.execute(new JournalEntriesQuery(deal, brokerId, parseLedgerPageLimit(limit), parseLogCursor(cursor)));
    if (entries === null) throw notFound(`No deal ${deal}`);
    return entries;
  }
}
