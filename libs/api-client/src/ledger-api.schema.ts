/**
 * Generated from apps/ledger-api/openapi.json by `npm run openapi:client`: do not edit.
 * test/openapi.spec.ts fails when this file differs from what the running API's document generates.
 */
export interface paths {
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process is up */
        get: operations["Health_live"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: event store, database and background work */
        get: operations["Health_ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics */
        get: operations["Metrics_scrape"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Issues an API key to a principal (shown once)
         * @description Roles: admin.
         */
        post: operations["ApiKeys_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/api-keys/{principalId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revokes a principal's key at once
         * @description Roles: admin.
         */
        delete: operations["ApiKeys_revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/deals/{id}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A deal's facts and its listing's facts about it
         * @description Roles: compliance, admin.
         */
        get: operations["Audit_dealTimeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The global log, from a position
         * @description Roles: compliance, admin.
         */
        get: operations["Audit_log"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The compliance export of the global log, streamed
         * @description Roles: compliance, admin.
         */
        get: operations["Audit_export"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/streams/{stream}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The events of one stream with metadata and hashes
         * @description Roles: compliance, admin.
         */
        get: operations["Audit_streamHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/streams/{stream}/verification": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Checks one stream's hash chain
         * @description Roles: compliance, admin.
         */
        get: operations["Audit_verification"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/buy-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lists buy requests
         * @description Roles: broker, compliance, dashboard, admin.
         */
        get: operations["BuyRequestQueries_list"];
        put?: never;
        /**
         * Places a buy request: records BuyRequestPlaced
         * @description Roles: broker, admin.
         */
        post: operations["BuyRequests_place"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/buy-requests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One buy request
         * @description Roles: broker, compliance, dashboard, admin.
         */
        get: operations["BuyRequestQueries_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/buy-requests/{id}/amendment": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Records BuyRequestAmended
         * @description Roles: broker, admin.
         */
        post: operations["BuyRequests_amend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/buy-requests/{id}/cancellation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Records BuyRequestCancelled
         * @description Roles: broker, admin.
         */
        post: operations["BuyRequests_cancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/buy-requests/{id}/matches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The listings on the market that fit the request, best first
         * @description Roles: broker, compliance, dashboard, admin.
         */
        get: operations["MatchSuggestions_listingsForBuyRequest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/dashboard/recent-facts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The newest journal entries, newest first (a broker sees its own deals)
         * @description Roles: broker, compliance, dashboard, admin.
         */
        get: operations["Dashboard_recentFacts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/dashboard/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Pipeline, volume, commission, expiring face value, losses to expiry and timings
         * @description Roles: broker, compliance, dashboard, admin.
         */
        get: operations["Dashboard_summary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lists deals (a broker sees its own)
         * @description Roles: broker, compliance, dashboard, admin.
         */
        get: operations["DealQueries_list"];
        put?: never;
        /**
         * Opens a deal on a listing: records ListingReserved, then DealOpened (and BuyRequestFilled when it names a buy request)
         * @description Roles: broker, admin.
         */
        post: operations["Deals_open"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deals/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One deal, now or as of an instant
         * @description Roles: broker, compliance, dashboard, admin.
         */
        get: operations["DealQueries_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deals/{id}/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Records DealApproved
         * @description Roles: broker, admin.
         */
        post: operations["Deals_approve"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deals/{id}/broker": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Records DealBrokerReassigned (admin only)
         * @description Roles: admin.
         */
        post: operations["Deals_reassignBroker"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deals/{id}/cancellation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Records DealCancelled (and BuyerRefunded)
         * @description Roles: broker, admin.
         */
        post: operations["Deals_cancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deals/{id}/disputes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Records DealDisputed
         * @description Roles: broker, admin.
         */
        post: operations["Deals_dispute"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deals/{id}/disputes/resolution": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Records DisputeResolved and its money facts
         * @description Roles: broker, admin.
         */
        post: operations["Deals_resolveDispute"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deals/{id}/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Records BuyerPaymentReceived
         * @description Roles: broker, admin.
         */
        post: operations["Deals_receivePayment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deals/{id}/payout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Records SellerPayoutIssued and DealSettled
         * @description Roles: broker, admin.
         */
        post: operations["Deals_issuePayout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deals/{id}/rejections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Records DealRejected
         * @description Roles: broker, admin.
         */
        post: operations["Deals_reject"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deals/{id}/terms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Records DealTermsAmended (voids approvals)
         * @description Roles: broker, admin.
         */
        post: operations["Deals_amendTerms"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deals/{id}/transfer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Records CreditTransferStarted
         * @description Roles: broker, admin.
         */
        post: operations["Deals_startTransfer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deals/{id}/transfer/confirmation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Records CreditTransferConfirmed
         * @description Roles: broker, admin.
         */
        post: operations["Deals_confirmTransfer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deals/{id}/transfer/failure": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Records CreditTransferFailed
         * @description Roles: broker, admin.
         */
        post: operations["Deals_failTransfer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deals/quote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Quotes a deal: discount, commission, payout and journal postings; records nothing
         * @description Roles: broker, admin.
         */
        post: operations["Deals_quote"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ledger/accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Balances of every account
         * @description Roles: compliance, dashboard, admin.
         */
        get: operations["Ledger_accounts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ledger/accounts/{account}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The balance of one account, now or as of an instant
         * @description Roles: compliance, dashboard, admin.
         */
        get: operations["Ledger_account"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ledger/accounts/{account}/entries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The postings to one account
         * @description Roles: compliance, dashboard, admin.
         */
        get: operations["Ledger_accountEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ledger/journal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Journal entries, of one deal or all (a broker sees its own deals)
         * @description Roles: broker, compliance, dashboard, admin.
         */
        get: operations["Ledger_journal"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/listings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lists listings, newest first
         * @description Roles: broker, compliance, dashboard, admin.
         */
        get: operations["ListingQueries_list"];
        put?: never;
        /**
         * Submits a listing: records ListingSubmitted
         * @description Roles: broker, admin.
         */
        post: operations["Listings_submit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/listings/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One listing
         * @description Roles: broker, compliance, dashboard, admin.
         */
        get: operations["ListingQueries_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/listings/{id}/matches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The open buy requests the listing could fill, best first
         * @description Roles: broker, compliance, dashboard, admin.
         */
        get: operations["MatchSuggestions_buyRequestsForListing"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/listings/{id}/price": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Records ListingRepriced
         * @description Roles: broker, admin.
         */
        post: operations["Listings_reprice"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/listings/{id}/verification": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Records ListingVerified
         * @description Roles: broker, admin.
         */
        post: operations["Listings_verify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/listings/{id}/verification-failure": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Records ListingVerificationFailed
         * @description Roles: broker, admin.
         */
        post: operations["Listings_failVerification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/listings/{id}/withdrawal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Records ListingWithdrawn
         * @description Roles: broker, admin.
         */
        post: operations["Listings_withdraw"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        SubmitListingRequest: {
            /** Format: uuid */
            id?: string;
            /** @example seller-acme */
            sellerId: string;
            /** @example openai */
            provider: string;
            /** @enum {string} */
            creditType: "prepaid_api" | "enterprise_commitment" | "chatgpt_seats" | "startup_program" | "accelerator_partner" | "fine_tuning";
            /** @description Free text, 200 characters at most (UTF-16 code units), not only blanks */
            providerOrgRef: string;
            /**
             * @description A decimal string of whole cents, "1" to "1000000000000000" (never a JSON number)
             * @example 125000
             */
            faceValueCents: string;
            /** @example USD */
            currency: string;
            /**
             * Format: date-time
             * @description An ISO 8601 instant with its offset (Z or ±hh:mm), between the years 2000 and 9999
             * @example 2026-06-01T00:00:00Z
             */
            creditExpiresAt: string;
            /**
             * @description A decimal string of whole cents, "1" to "1000000000000000" (never a JSON number)
             * @example 125000
             */
            askPriceCents: string;
        };
        VerificationEvidence: {
            /** @description Free text, 100 characters at most (UTF-16 code units), not only blanks */
            method: string;
            /** @description Free text, 500 characters at most (UTF-16 code units), not only blanks */
            reference: string;
            /**
             * Format: date-time
             * @description An ISO 8601 instant with its offset (Z or ±hh:mm), between the years 2000 and 9999
             * @example 2026-06-01T00:00:00Z
             */
            checkedAt: string;
        };
        VerifyListingRequest: {
            /**
             * @description A decimal string of whole cents, "1" to "1000000000000000" (never a JSON number)
             * @example 125000
             */
            verifiedFaceValueCents: string;
            /**
             * Format: date-time
             * @description An ISO 8601 instant with its offset (Z or ±hh:mm), between the years 2000 and 9999
             * @example 2026-06-01T00:00:00Z
             */
            verifiedExpiresAt: string;
            evidence: components["schemas"]["VerificationEvidence"];
        };
        FailListingVerificationRequest: {
            /** @description Free text, 1000 characters at most (UTF-16 code units), not only blanks */
            reason: string;
        };
        RepriceListingRequest: {
            /**
             * @description A decimal string of whole cents, "1" to "1000000000000000" (never a JSON number)
             * @example 125000
             */
            askPriceCents: string;
        };
        WithdrawListingRequest: {
            /** @description Free text, 1000 characters at most (UTF-16 code units), not only blanks */
            reason: string;
        };
        OpenDealRequest: {
            /** Format: uuid */
            id?: string;
            /** Format: uuid */
            listingId: string;
            /** @example seller-acme */
            buyerId: string;
            /**
             * @description A decimal string of whole cents, "1" to "1000000000000000" (never a JSON number)
             * @example 125000
             */
            faceValueCents: string;
            /**
             * @description A decimal string of whole cents, "1" to "1000000000000000" (never a JSON number)
             * @example 125000
             */
            priceCents: string;
            /** @description Basis points: 100 = 1 % */
            commissionBps: number;
            /** Format: uuid */
            buyRequestId?: string;
            /** @example seller-acme */
            brokerId?: string;
        };
        AmendDealTermsRequest: {
            /**
             * @description A decimal string of whole cents, "1" to "1000000000000000" (never a JSON number)
             * @example 125000
             */
            priceCents?: string;
            /**
             * @description A decimal string of whole cents, "1" to "1000000000000000" (never a JSON number)
             * @example 125000
             */
            faceValueCents?: string;
            /** @description Basis points: 100 = 1 % */
            commissionBps?: number;
        };
        Evidence: {
            /** @description Free text, 100 characters at most (UTF-16 code units), not only blanks */
            method: string;
            /** @description Free text, 500 characters at most (UTF-16 code units), not only blanks */
            reference: string;
        };
        ApproveDealRequest: {
            /** @enum {string} */
            party: "seller" | "buyer";
            /** @description The terms version approved: the deal's current termsVersion */
            termsVersion: number;
            evidence?: components["schemas"]["Evidence"];
        };
        RejectDealRequest: {
            /** @enum {string} */
            party: "seller" | "buyer";
            /** @description Free text, 1000 characters at most (UTF-16 code units), not only blanks */
            reason: string;
        };
        ReceivePaymentRequest: {
            /**
             * @description A decimal string of whole cents, "1" to "1000000000000000" (never a JSON number)
             * @example 125000
             */
            amountCents: string;
            /** @description Free text, 200 characters at most (UTF-16 code units), not only blanks */
            paymentRef: string;
        };
        StartTransferRequest: {
            /** @enum {string} */
            mechanism: "organization_membership" | "reseller_arrangement" | "managed_service";
            /** @description Free text, 500 characters at most (UTF-16 code units), not only blanks */
            reference: string;
        };
        ConfirmTransferRequest: {
            /**
             * @description A decimal string of whole cents, "1" to "1000000000000000" (never a JSON number)
             * @example 125000
             */
            confirmedFaceValueCents: string;
            evidence: components["schemas"]["Evidence"];
        };
        ReasonRequest: {
            /** @description Free text, 1000 characters at most (UTF-16 code units), not only blanks */
            reason: string;
        };
        IssuePayoutRequest: {
            /** @description Free text, 200 characters at most (UTF-16 code units), not only blanks */
            payoutRef: string;
        };
        ResolveDisputeRequest: {
            /** @enum {string} */
            outcome: "refund_buyer" | "pay_seller";
            /** @description Free text, 200 characters at most (UTF-16 code units), not only blanks */
            payoutRef?: string;
        };
        ReassignDealBrokerRequest: {
            /** @example seller-acme */
            brokerId: string;
        };
        PlaceBuyRequestRequest: {
            /** Format: uuid */
            id?: string;
            /** @example seller-acme */
            buyerId: string;
            /** @example openai */
            provider: string;
            creditTypes: ("prepaid_api" | "enterprise_commitment" | "chatgpt_seats" | "startup_program" | "accelerator_partner" | "fine_tuning")[];
            /**
             * @description A decimal string of whole cents, "1" to "1000000000000000" (never a JSON number)
             * @example 125000
             */
            faceValueCents: string;
            /** @description The highest price, in basis points of the face value */
            maxPriceBps: number;
            minValidityDays: number;
            /**
             * Format: date-time
             * @description An ISO 8601 instant with its offset (Z or ±hh:mm), between the years 2000 and 9999
             * @example 2026-06-01T00:00:00Z
             */
            deadline: string;
        };
        AmendBuyRequestRequest: {
            /** @example openai */
            provider?: string;
            creditTypes?: ("prepaid_api" | "enterprise_commitment" | "chatgpt_seats" | "startup_program" | "accelerator_partner" | "fine_tuning")[];
            /**
             * @description A decimal string of whole cents, "1" to "1000000000000000" (never a JSON number)
             * @example 125000
             */
            faceValueCents?: string;
            /** @description The highest price, in basis points of the face value */
            maxPriceBps?: number;
            minValidityDays?: number;
            /**
             * Format: date-time
             * @description An ISO 8601 instant with its offset (Z or ±hh:mm), between the years 2000 and 9999
             * @example 2026-06-01T00:00:00Z
             */
            deadline?: string;
        };
        CancelBuyRequestRequest: {
            /** @description Free text, 1000 characters at most (UTF-16 code units), not only blanks */
            reason: string;
        };
        CreateApiKeyDto: {
            /** @enum {string} */
            role: "broker" | "compliance" | "dashboard" | "admin";
            principalId: string;
            label?: string;
        };
        /** @description Every error answer (shared/API.md, Errors) */
        ErrorBody: {
            statusCode: number;
            /** @description Stable upper-case code, e.g. LISTING_NOT_VERIFIED */
            code: string;
            message: string;
            /** @description Facts about the refusal, e.g. the offending fields of VALIDATION_FAILED */
            details?: {
                [key: string]: unknown;
            };
        };
        /** @description The answer of every command */
        CommandAnswer: {
            /** Format: uuid */
            id: string;
            /** @description Revision of the stream after the command: pass it back as If-Match; null when nothing was recorded */
            streamRevision: number | null;
            /**
             * @description Log position of the last event written: pass it as X-Min-Position to read your write; null when nothing new was recorded
             * @example 1234.1234
             */
            position: string | null;
        };
        /** @description What POST /v1/deals would decide; nothing is recorded */
        QuoteAnswer: {
            /** Format: uuid */
            listingId: string;
            currency: string;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            faceValueCents: string;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            priceCents: string;
            /** @description How far the price lies below face value, rounded down; negative above it */
            discountBps: number;
            /** @description Basis points: 100 = 1 % */
            commissionBps: number;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            commissionCents: string;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            payoutCents: string;
            /** @description The journal entries the deal would post, in order */
            postings: {
                kind: string;
                postings: components["schemas"]["Posting"][];
            }[];
        };
        /** @description A debit is positive, a credit negative */
        Posting: {
            account: string;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            amountCents: string;
        };
        /** @description A listing as its read model holds it */
        Listing: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            status: "submitted" | "available" | "sold_out" | "rejected" | "withdrawn" | "expired";
            sellerId: string;
            provider: string;
            creditType: string;
            currency: string;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            faceValueCents: string;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            verifiedFaceValueCents: string;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            reservedFaceValueCents: string;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            soldFaceValueCents: string;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            availableFaceValueCents: string;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            withdrawnFaceValueCents: string;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            expiredFaceValueCents: string;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            askPriceCents: string;
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            creditExpiresAt: string;
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            submittedAt: string;
            /** @description The broker or admin who submitted it; null for listings recorded before submitters were */
            submittedBy: string | null;
            /** @description Revision of the stream: pass it back as If-Match */
            streamRevision: number;
        };
        /** @description A deal as its read model holds it (or as of an instant, folded from its events) */
        Deal: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            status: "awaiting_approvals" | "approved" | "funded" | "transferring" | "transferred" | "settled" | "rejected" | "cancelled" | "expired" | "disputed";
            /** Format: uuid */
            listingId: string;
            /** Format: uuid */
            buyRequestId: string | null;
            sellerId: string;
            buyerId: string;
            brokerId: string;
            currency: string;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            faceValueCents: string;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            priceCents: string;
            /** @description Basis points: 100 = 1 % */
            commissionBps: number;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            commissionCents: string;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            payoutCents: string;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            paidCents: string;
            termsVersion: number;
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            approvalDeadline: string;
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            creditExpiresAt: string;
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            openedAt: string;
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            approvedAt: string | null;
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            fundedAt: string | null;
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            transferredAt: string | null;
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            closedAt: string | null;
            /** @description Revision of the stream: pass it back as If-Match */
            streamRevision: number;
        };
        /** @description A buy request as its read model holds it */
        BuyRequest: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            status: "open" | "filled" | "cancelled" | "expired";
            buyerId: string;
            provider: string;
            creditTypes: string[];
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            faceValueCents: string;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            filledFaceValueCents: string;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            unfilledFaceValueCents: string;
            /** @description Basis points: 100 = 1 % */
            maxPriceBps: number;
            minValidityDays: number;
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            deadline: string;
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            placedAt: string;
            /** @description The broker or admin who placed it; null for requests recorded before placers were */
            placedBy: string | null;
            /** @description Revision of the stream: pass it back as If-Match */
            streamRevision: number;
        };
        /** @description One listing offered to one buy request */
        MatchSuggestion: {
            /** Format: uuid */
            listingId: string;
            /** Format: uuid */
            buyRequestId: string;
            /**
             * @description The face value the pair would trade
             * @example 125000
             */
            availableFaceValueCents: string;
            /**
             * @description The listing's ask pro-rated to that face value, rounded up
             * @example 125000
             */
            priceCents: string;
            /** @description Basis points: 100 = 1 % */
            discountBps: number;
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            creditExpiresAt: string;
            sellerId: string;
            buyerId: string;
            creditType: string;
        };
        /** @description A page of listings */
        ListingPage: {
            items: components["schemas"]["Listing"][];
            /** @description Pass as `cursor` for the next page; null on the last */
            nextCursor: string | null;
        };
        /** @description A page of deals */
        DealPage: {
            items: components["schemas"]["Deal"][];
            /** @description Pass as `cursor` for the next page; null on the last */
            nextCursor: string | null;
        };
        /** @description A page of buy requests */
        BuyRequestPage: {
            items: components["schemas"]["BuyRequest"][];
            /** @description Pass as `cursor` for the next page; null on the last */
            nextCursor: string | null;
        };
        /** @description The best suggestions, best first */
        MatchSuggestionList: {
            items: components["schemas"]["MatchSuggestion"][];
            /** @description Always null: a ranked shortlist, not a paged list */
            nextCursor: string | null;
        };
        AccountBalanceItem: {
            account: string;
            currency: string;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            balanceCents: string;
        };
        /** @description Balances of the accounts, by account */
        AccountBalancePage: {
            items: components["schemas"]["AccountBalanceItem"][];
            /** @description Pass as `cursor` for the next page; null on the last */
            nextCursor: string | null;
        };
        AccountBalance: {
            account: string;
            /**
             * Format: date-time
             * @description The instant asked for; null: the current balance
             */
            asOf: string | null;
            balances: {
                currency: string;
                /**
                 * @description A decimal string of whole cents
                 * @example 125000
                 */
                balanceCents: string;
            }[];
        };
        AccountPosting: {
            /** Format: uuid */
            entryId: string;
            /** Format: uuid */
            dealId: string | null;
            /** Format: uuid */
            listingId: string | null;
            kind: string;
            currency: string;
            /**
             * @description A decimal string of whole cents
             * @example 125000
             */
            amountCents: string;
            /**
             * @description A global log position, `commit.prepare`
             * @example 1234.1234
             */
            position: string;
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            recordedAt: string;
        };
        /** @description Postings to one account, in log order */
        AccountPostingPage: {
            items: components["schemas"]["AccountPosting"][];
            /** @description Pass as `cursor` for the next page; null on the last */
            nextCursor: string | null;
        };
        /** @description A journal entry: its postings sum to zero */
        JournalEntry: {
            /** Format: uuid */
            id: string;
            /**
             * Format: uuid
             * @description Null for an entry of a listing fact that concerns no deal (a listing's expiry)
             */
            dealId: string | null;
            /** Format: uuid */
            listingId: string | null;
            kind: string;
            currency: string;
            /** Format: uuid */
            eventId: string;
            /**
             * @description A global log position, `commit.prepare`
             * @example 1234.1234
             */
            position: string;
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            recordedAt: string;
            postings: components["schemas"]["Posting"][];
        };
        /** @description Journal entries, in log order */
        JournalEntryPage: {
            items: components["schemas"]["JournalEntry"][];
            /** @description Pass as `cursor` for the next page; null on the last */
            nextCursor: string | null;
        };
        /** @description The newest journal entries first */
        RecentFacts: {
            items: components["schemas"]["JournalEntry"][];
        };
        /** @description Pipeline, volume, commission, expiring and lost face value, and timings */
        DashboardSummary: {
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            asOf: string;
            /** @description Whose deals the deal figures cover */
            scope: {
                /** @enum {string} */
                kind: "all" | "broker";
                brokerId?: string;
            };
            /** @description Deals by status */
            pipeline: {
                awaiting_approvals: number;
                approved: number;
                funded: number;
                transferring: number;
                transferred: number;
                settled: number;
                rejected: number;
                cancelled: number;
                expired: number;
                disputed: number;
                total: number;
            };
            volume: {
                settledDeals: number;
                /** @description Amounts per currency (ISO 4217 code -> cents) */
                settledPriceCents: {
                    [key: string]: string;
                };
                openDeals: number;
                /** @description Amounts per currency (ISO 4217 code -> cents) */
                openPriceCents: {
                    [key: string]: string;
                };
            };
            /** @description Amounts per currency (ISO 4217 code -> cents) */
            commissionEarnedCents: {
                [key: string]: string;
            };
            /** @description Face value of listings whose credits expire within 7, 30 and 90 days */
            expiring: {
                within7Days: {
                    listings: number;
                    /** @description Amounts per currency (ISO 4217 code -> cents) */
                    faceValueCents: {
                        [key: string]: string;
                    };
                };
                within30Days: {
                    listings: number;
                    /** @description Amounts per currency (ISO 4217 code -> cents) */
                    faceValueCents: {
                        [key: string]: string;
                    };
                };
                within90Days: {
                    listings: number;
                    /** @description Amounts per currency (ISO 4217 code -> cents) */
                    faceValueCents: {
                        [key: string]: string;
                    };
                };
            };
            lostToExpiry: {
                expiredListings: number;
                /** @description Amounts per currency (ISO 4217 code -> cents) */
                faceValueCents: {
                    [key: string]: string;
                };
                dealsExpiredOnCreditExpiry: number;
                /** @description Amounts per currency (ISO 4217 code -> cents) */
                dealsExpiredOnCreditExpiryFaceValueCents: {
                    [key: string]: string;
                };
            };
            rescuedFromExpiry: {
                horizonDays: number;
                deals: number;
                /** @description Amounts per currency (ISO 4217 code -> cents) */
                faceValueCents: {
                    [key: string]: string;
                };
            };
            timings: {
                period: {
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    fromInclusive: string;
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    toExclusive: string;
                };
                timeToMatch: {
                    listingVerifiedToFirstDeal: {
                        samples: number;
                        /** @description Null without samples */
                        medianMs: number | null;
                        /** @description Null without samples */
                        p90Ms: number | null;
                    };
                    buyRequestPlacedToFirstFill: {
                        samples: number;
                        /** @description Null without samples */
                        medianMs: number | null;
                        /** @description Null without samples */
                        p90Ms: number | null;
                    };
                };
                timeToSettle: {
                    samples: number;
                    /** @description Null without samples */
                    medianMs: number | null;
                    /** @description Null without samples */
                    p90Ms: number | null;
                };
            };
        };
        /** @description A recorded fact with its metadata and hash chain */
        AuditEvent: {
            stream: string;
            /** @description Stream revision, decimal text (64-bit) */
            revision: string;
            /**
             * @description A global log position, `commit.prepare`
             * @example 1234.1234
             */
            position: string;
            /** Format: uuid */
            id: string;
            /** @description The fact, e.g. DealOpened */
            type: string;
            data: {
                [key: string]: unknown;
            };
            metadata: {
                actorId: string;
                actorRole: string;
                correlationId: string;
                causationId: string | null;
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                occurredAt: string;
                schemaVersion: number;
            };
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            recordedAt: string;
            prevHash: string;
            /** @description SHA-256 of the RFC 8785 canonical JSON of the event and prevHash */
            hash: string;
        };
        /** @description Recorded facts, in stream or log order */
        AuditPage: {
            items: components["schemas"]["AuditEvent"][];
            /** @description Pass as `cursor` for the next page; null on the last */
            nextCursor: string | null;
        };
        /** @description The stream's hash chain, checked */
        StreamVerification: {
            valid: boolean;
            events: number;
            /** @description The first revision whose hash does not hold */
            brokenAt?: number;
            reason?: string;
        };
        /** @description The deal's facts and its listing's facts about it, in log order */
        DealTimeline: {
            /** Format: uuid */
            dealId: string;
            /** Format: uuid */
            listingId: string | null;
            items: components["schemas"]["AuditEvent"][];
        };
        /** @description A new API key */
        IssuedApiKey: {
            /** @description Shown once: the ledger keeps only its hash */
            key: string;
            principalId: string;
            /** @enum {string} */
            role: "broker" | "compliance" | "dashboard" | "admin";
        };
        /** @description The process is up */
        Liveness: {
            status: string;
        };
        /** @description Whether the instance can serve: its dependencies and background work */
        Readiness: {
            /** @description `ok`, `degraded` (background work needs an operator) or `unavailable` */
            status: string;
            checks: {
                [key: string]: unknown;
            };
        };
    };
    responses: {
        /** @description Invalid request: a malformed field, parameter or header (`details` names each). Codes: VALIDATION_FAILED */
        ValidationFailed: {
            headers: {
                "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"] & {
                    /** @enum {integer} */
                    statusCode?: 400;
                    /** @enum {string} */
                    code?: "VALIDATION_FAILED";
                };
            };
        };
        /** @description No API key, or an unknown or revoked one. Codes: UNAUTHENTICATED */
        Unauthenticated: {
            headers: {
                "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"] & {
                    /** @enum {integer} */
                    statusCode?: 401;
                    /** @enum {string} */
                    code?: "UNAUTHENTICATED";
                };
            };
        };
        /** @description The caller's role may not call this route, or the caller may not manage what another broker opened. Codes: FORBIDDEN, NOT_LISTING_OWNER, NOT_BUY_REQUEST_OWNER */
        Forbidden: {
            headers: {
                "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"] & {
                    /** @enum {integer} */
                    statusCode?: 403;
                    /** @enum {string} */
                    code?: "FORBIDDEN" | "NOT_LISTING_OWNER" | "NOT_BUY_REQUEST_OWNER";
                };
            };
        };
        /** @description No such stream or resource (another broker's deal answers exactly as a missing one). Codes: NOT_FOUND, LISTING_NOT_FOUND, RESERVATION_NOT_FOUND, DEAL_NOT_FOUND, BUY_REQUEST_NOT_FOUND */
        NotFound: {
            headers: {
                "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"] & {
                    /** @enum {integer} */
                    statusCode?: 404;
                    /** @enum {string} */
                    code?: "NOT_FOUND" | "LISTING_NOT_FOUND" | "RESERVATION_NOT_FOUND" | "DEAL_NOT_FOUND" | "BUY_REQUEST_NOT_FOUND";
                };
            };
        };
        /** @description A business rejection (stable code), If-Match that no longer holds, or an Idempotency-Key used for another request. Codes: LISTING_ALREADY_EXISTS, LISTING_NOT_SUBMITTED, LISTING_ALREADY_VERIFIED, LISTING_VERIFIED_FACE_VALUE_EXCEEDS_CLAIM, LISTING_NOT_VERIFIED, LISTING_NOT_AVAILABLE, LISTING_CLOSED, LISTING_EXPIRED, LISTING_EXPIRY_NOT_REACHED, INSUFFICIENT_AVAILABLE_CREDITS, LISTING_ALREADY_RESERVED_FOR_DEAL, LISTING_RESERVATION_LIMIT_REACHED, RESERVATION_CLOSED, SALE_EXCEEDS_RESERVATION, DEAL_ALREADY_EXISTS, DEAL_CLOSED, DEAL_DISPUTED, DEAL_NOT_DISPUTED, DEAL_NOT_AWAITING_APPROVALS, DEAL_APPROVAL_DEADLINE_PASSED, DEAL_TERMS_VERSION_STALE, DEAL_ALREADY_APPROVED_BY_PARTY, DEAL_TERMS_LOCKED, DEAL_TERMS_UNCHANGED, DEAL_BROKER_UNCHANGED, DEAL_AMENDMENT_LIMIT_REACHED, DEAL_FACE_VALUE_EXCEEDS_RESERVATION, DEAL_NOT_APPROVED, PAYMENT_EXCEEDS_PRICE, PAYMENT_REF_REUSED, DEAL_PAYMENT_LIMIT_REACHED, DEAL_NOT_FUNDED, TRANSFER_ALREADY_STARTED, TRANSFER_NOT_STARTED, TRANSFER_IN_PROGRESS, TRANSFER_ALREADY_CONFIRMED, TRANSFER_NOT_CONFIRMED, TRANSFER_EXCEEDS_FACE_VALUE, DEAL_TRANSFER_ATTEMPT_LIMIT_REACHED, CREDITS_EXPIRED, REFUND_EXCEEDS_PAID, DEAL_DEADLINE_NOT_REACHED, BUY_REQUEST_ALREADY_EXISTS, BUY_REQUEST_NOT_OPEN, BUY_REQUEST_EXPIRED, BUY_REQUEST_OVERFILLED, BUY_REQUEST_ALREADY_FILLED_BY_DEAL, BUY_REQUEST_FILL_LIMIT_REACHED, BUY_REQUEST_DEADLINE_NOT_REACHED, BUY_REQUEST_MISMATCH, CONCURRENCY_CONFLICT, DUPLICATE_EVENT_ID, IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_REQUEST_IN_PROGRESS, PRINCIPAL_EXISTS, CONFLICT */
        Conflict: {
            headers: {
                "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"] & {
                    /** @enum {integer} */
                    statusCode?: 409;
                    /** @enum {string} */
                    code?: "LISTING_ALREADY_EXISTS" | "LISTING_NOT_SUBMITTED" | "LISTING_ALREADY_VERIFIED" | "LISTING_VERIFIED_FACE_VALUE_EXCEEDS_CLAIM" | "LISTING_NOT_VERIFIED" | "LISTING_NOT_AVAILABLE" | "LISTING_CLOSED" | "LISTING_EXPIRED" | "LISTING_EXPIRY_NOT_REACHED" | "INSUFFICIENT_AVAILABLE_CREDITS" | "LISTING_ALREADY_RESERVED_FOR_DEAL" | "LISTING_RESERVATION_LIMIT_REACHED" | "RESERVATION_CLOSED" | "SALE_EXCEEDS_RESERVATION" | "DEAL_ALREADY_EXISTS" | "DEAL_CLOSED" | "DEAL_DISPUTED" | "DEAL_NOT_DISPUTED" | "DEAL_NOT_AWAITING_APPROVALS" | "DEAL_APPROVAL_DEADLINE_PASSED" | "DEAL_TERMS_VERSION_STALE" | "DEAL_ALREADY_APPROVED_BY_PARTY" | "DEAL_TERMS_LOCKED" | "DEAL_TERMS_UNCHANGED" | "DEAL_BROKER_UNCHANGED" | "DEAL_AMENDMENT_LIMIT_REACHED" | "DEAL_FACE_VALUE_EXCEEDS_RESERVATION" | "DEAL_NOT_APPROVED" | "PAYMENT_EXCEEDS_PRICE" | "PAYMENT_REF_REUSED" | "DEAL_PAYMENT_LIMIT_REACHED" | "DEAL_NOT_FUNDED" | "TRANSFER_ALREADY_STARTED" | "TRANSFER_NOT_STARTED" | "TRANSFER_IN_PROGRESS" | "TRANSFER_ALREADY_CONFIRMED" | "TRANSFER_NOT_CONFIRMED" | "TRANSFER_EXCEEDS_FACE_VALUE" | "DEAL_TRANSFER_ATTEMPT_LIMIT_REACHED" | "CREDITS_EXPIRED" | "REFUND_EXCEEDS_PAID" | "DEAL_DEADLINE_NOT_REACHED" | "BUY_REQUEST_ALREADY_EXISTS" | "BUY_REQUEST_NOT_OPEN" | "BUY_REQUEST_EXPIRED" | "BUY_REQUEST_OVERFILLED" | "BUY_REQUEST_ALREADY_FILLED_BY_DEAL" | "BUY_REQUEST_FILL_LIMIT_REACHED" | "BUY_REQUEST_DEADLINE_NOT_REACHED" | "BUY_REQUEST_MISMATCH" | "CONCURRENCY_CONFLICT" | "DUPLICATE_EVENT_ID" | "IDEMPOTENCY_KEY_REUSED" | "IDEMPOTENCY_REQUEST_IN_PROGRESS" | "PRINCIPAL_EXISTS" | "CONFLICT";
                };
            };
        };
        /** @description The request body is over 64 kB. Codes: PAYLOAD_TOO_LARGE */
        PayloadTooLarge: {
            headers: {
                "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"] & {
                    /** @enum {integer} */
                    statusCode?: 413;
                    /** @enum {string} */
                    code?: "PAYLOAD_TOO_LARGE";
                };
            };
        };
        /** @description The request body is not JSON in UTF-8. Codes: UNSUPPORTED_MEDIA_TYPE */
        UnsupportedMediaType: {
            headers: {
                "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"] & {
                    /** @enum {integer} */
                    statusCode?: 415;
                    /** @enum {string} */
                    code?: "UNSUPPORTED_MEDIA_TYPE";
                };
            };
        };
        /** @description Too many requests for this API key: wait Retry-After seconds. Codes: RATE_LIMITED */
        RateLimited: {
            headers: {
                "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                /** @description Seconds to wait before trying again */
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"] & {
                    /** @enum {integer} */
                    statusCode?: 429;
                    /** @enum {string} */
                    code?: "RATE_LIMITED";
                };
            };
        };
        /** @description The event store or database is unavailable, a statement ran past its time limit, or the read models did not reach X-Min-Position in time. Codes: UNAVAILABLE, DATABASE_TIMEOUT, READ_MODEL_BEHIND */
        Unavailable: {
            headers: {
                "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                /** @description Seconds to wait before trying again */
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"] & {
                    /** @enum {integer} */
                    statusCode?: 503;
                    /** @enum {string} */
                    code?: "UNAVAILABLE" | "DATABASE_TIMEOUT" | "READ_MODEL_BEHIND";
                };
            };
        };
        /** @description A fault of ours, logged under the answer's X-Correlation-Id. Codes: INTERNAL_ERROR */
        InternalError: {
            headers: {
                "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"] & {
                    /** @enum {integer} */
                    statusCode?: 500;
                    /** @enum {string} */
                    code?: "INTERNAL_ERROR";
                };
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: {
        /** @description The request's correlation id */
        "X-Correlation-Id": string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    Health_live: {
        parameters: {
            query?: never;
            header?: {
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Up */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Liveness"];
                };
            };
            500: components["responses"]["InternalError"];
        };
    };
    Health_ready: {
        parameters: {
            query?: never;
            header?: {
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready (or degraded: serving, background work needs an operator) */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            500: components["responses"]["InternalError"];
            /** @description Not ready: a dependency does not answer */
            503: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
    Metrics_scrape: {
        parameters: {
            query?: never;
            header?: {
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            500: components["responses"]["InternalError"];
        };
    };
    ApiKeys_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApiKeyDto"];
            };
        };
        responses: {
            /** @description Issued */
            201: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedApiKey"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    ApiKeys_revoke: {
        parameters: {
            query?: never;
            header?: {
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                principalId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Audit_dealTimeline: {
        parameters: {
            query?: never;
            header?: {
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DealTimeline"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Audit_log: {
        parameters: {
            query?: {
                limit?: number;
                /** @description Read after this log position (exclusive; a nextCursor) */
                fromPosition?: string;
            };
            header?: {
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Audit_export: {
        parameters: {
            query?: {
                /** @description Recorded before (ISO 8601 with offset) */
                to?: string;
                /** @description Recorded at or after (ISO 8601 with offset) */
                from?: string;
                format?: "jsonl" | "csv";
            };
            header?: {
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One audit event per line (jsonl) or row (csv) */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": string;
                    "text/csv": string;
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Audit_streamHistory: {
        parameters: {
            query?: {
                limit?: number;
                /** @description The first revision to read (a nextCursor) */
                fromRevision?: string;
            };
            header?: {
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                /** @description A stream id, e.g. deal-<uuid> */
                stream: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Audit_verification: {
        parameters: {
            query?: never;
            header?: {
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                /** @description A stream id, e.g. deal-<uuid> */
                stream: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StreamVerification"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    BuyRequestQueries_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description The nextCursor of the page before, unchanged */
                cursor?: string;
                status?: "open" | "filled" | "cancelled" | "expired";
                buyerId?: string;
            };
            header?: {
                /** @description Read your writes: a command answer's position. The answer waits (bounded) until the read models have passed it, else 503 READ_MODEL_BEHIND */
                "X-Min-Position"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BuyRequestPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    BuyRequests_place: {
        parameters: {
            query?: never;
            header?: {
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PlaceBuyRequestRequest"];
            };
        };
        responses: {
            /** @description Created: the new stream, its revision and the log position of the last event written */
            201: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    BuyRequestQueries_get: {
        parameters: {
            query?: never;
            header?: {
                /** @description Read your writes: a command answer's position. The answer waits (bounded) until the read models have passed it, else 503 READ_MODEL_BEHIND */
                "X-Min-Position"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BuyRequest"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    BuyRequests_amend: {
        parameters: {
            query?: never;
            header?: {
                /** @description The streamRevision you decided on (from a command answer or a read): 409 CONCURRENCY_CONFLICT if the stream has moved on since. Without it a lost race is decided again */
                "If-Match"?: string;
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AmendBuyRequestRequest"];
            };
        };
        responses: {
            /** @description Recorded: the stream, its new revision and the log position of the last event written */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    BuyRequests_cancel: {
        parameters: {
            query?: never;
            header?: {
                /** @description The streamRevision you decided on (from a command answer or a read): 409 CONCURRENCY_CONFLICT if the stream has moved on since. Without it a lost race is decided again */
                "If-Match"?: string;
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CancelBuyRequestRequest"];
            };
        };
        responses: {
            /** @description Recorded: the stream, its new revision and the log position of the last event written */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    MatchSuggestions_listingsForBuyRequest: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: {
                /** @description Read your writes: a command answer's position. The answer waits (bounded) until the read models have passed it, else 503 READ_MODEL_BEHIND */
                "X-Min-Position"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MatchSuggestionList"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Dashboard_recentFacts: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: {
                /** @description Read your writes: a command answer's position. The answer waits (bounded) until the read models have passed it, else 503 READ_MODEL_BEHIND */
                "X-Min-Position"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecentFacts"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Dashboard_summary: {
        parameters: {
            query?: {
                /** @description An ISO 8601 instant with its offset (Z or ±hh:mm), between the years 2000 and 9999 */
                from?: string;
                /** @description An ISO 8601 instant with its offset (Z or ±hh:mm), between the years 2000 and 9999 */
                to?: string;
            };
            header?: {
                /** @description Read your writes: a command answer's position. The answer waits (bounded) until the read models have passed it, else 503 READ_MODEL_BEHIND */
                "X-Min-Position"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DashboardSummary"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    DealQueries_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description The nextCursor of the page before, unchanged */
                cursor?: string;
                status?: "awaiting_approvals" | "approved" | "funded" | "transferring" | "transferred" | "settled" | "rejected" | "cancelled" | "expired" | "disputed";
                brokerId?: string;
                buyerId?: string;
                sellerId?: string;
            };
            header?: {
                /** @description Read your writes: a command answer's position. The answer waits (bounded) until the read models have passed it, else 503 READ_MODEL_BEHIND */
                "X-Min-Position"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DealPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Deals_open: {
        parameters: {
            query?: never;
            header?: {
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OpenDealRequest"];
            };
        };
        responses: {
            /** @description Created: the new stream, its revision and the log position of the last event written */
            201: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    DealQueries_get: {
        parameters: {
            query?: {
                /** @description An ISO 8601 instant with its offset (Z or ±hh:mm), between the years 2000 and 9999 */
                asOf?: string;
            };
            header?: {
                /** @description Read your writes: a command answer's position. The answer waits (bounded) until the read models have passed it, else 503 READ_MODEL_BEHIND */
                "X-Min-Position"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Deal"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Deals_approve: {
        parameters: {
            query?: never;
            header?: {
                /** @description The streamRevision you decided on (from a command answer or a read): 409 CONCURRENCY_CONFLICT if the stream has moved on since. Without it a lost race is decided again */
                "If-Match"?: string;
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApproveDealRequest"];
            };
        };
        responses: {
            /** @description Recorded: the stream, its new revision and the log position of the last event written */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Deals_reassignBroker: {
        parameters: {
            query?: never;
            header?: {
                /** @description The streamRevision you decided on (from a command answer or a read): 409 CONCURRENCY_CONFLICT if the stream has moved on since. Without it a lost race is decided again */
                "If-Match"?: string;
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReassignDealBrokerRequest"];
            };
        };
        responses: {
            /** @description Recorded: the stream, its new revision and the log position of the last event written */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Deals_cancel: {
        parameters: {
            query?: never;
            header?: {
                /** @description The streamRevision you decided on (from a command answer or a read): 409 CONCURRENCY_CONFLICT if the stream has moved on since. Without it a lost race is decided again */
                "If-Match"?: string;
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReasonRequest"];
            };
        };
        responses: {
            /** @description Recorded: the stream, its new revision and the log position of the last event written */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Deals_dispute: {
        parameters: {
            query?: never;
            header?: {
                /** @description The streamRevision you decided on (from a command answer or a read): 409 CONCURRENCY_CONFLICT if the stream has moved on since. Without it a lost race is decided again */
                "If-Match"?: string;
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReasonRequest"];
            };
        };
        responses: {
            /** @description Recorded: the stream, its new revision and the log position of the last event written */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Deals_resolveDispute: {
        parameters: {
            query?: never;
            header?: {
                /** @description The streamRevision you decided on (from a command answer or a read): 409 CONCURRENCY_CONFLICT if the stream has moved on since. Without it a lost race is decided again */
                "If-Match"?: string;
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResolveDisputeRequest"];
            };
        };
        responses: {
            /** @description Recorded: the stream, its new revision and the log position of the last event written */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Deals_receivePayment: {
        parameters: {
            query?: never;
            header?: {
                /** @description The streamRevision you decided on (from a command answer or a read): 409 CONCURRENCY_CONFLICT if the stream has moved on since. Without it a lost race is decided again */
                "If-Match"?: string;
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReceivePaymentRequest"];
            };
        };
        responses: {
            /** @description Recorded: the stream, its new revision and the log position of the last event written */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Deals_issuePayout: {
        parameters: {
            query?: never;
            header?: {
                /** @description The streamRevision you decided on (from a command answer or a read): 409 CONCURRENCY_CONFLICT if the stream has moved on since. Without it a lost race is decided again */
                "If-Match"?: string;
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["IssuePayoutRequest"];
            };
        };
        responses: {
            /** @description Recorded: the stream, its new revision and the log position of the last event written */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Deals_reject: {
        parameters: {
            query?: never;
            header?: {
                /** @description The streamRevision you decided on (from a command answer or a read): 409 CONCURRENCY_CONFLICT if the stream has moved on since. Without it a lost race is decided again */
                "If-Match"?: string;
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RejectDealRequest"];
            };
        };
        responses: {
            /** @description Recorded: the stream, its new revision and the log position of the last event written */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Deals_amendTerms: {
        parameters: {
            query?: never;
            header?: {
                /** @description The streamRevision you decided on (from a command answer or a read): 409 CONCURRENCY_CONFLICT if the stream has moved on since. Without it a lost race is decided again */
                "If-Match"?: string;
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AmendDealTermsRequest"];
            };
        };
        responses: {
            /** @description Recorded: the stream, its new revision and the log position of the last event written */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Deals_startTransfer: {
        parameters: {
            query?: never;
            header?: {
                /** @description The streamRevision you decided on (from a command answer or a read): 409 CONCURRENCY_CONFLICT if the stream has moved on since. Without it a lost race is decided again */
                "If-Match"?: string;
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartTransferRequest"];
            };
        };
        responses: {
            /** @description Recorded: the stream, its new revision and the log position of the last event written */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Deals_confirmTransfer: {
        parameters: {
            query?: never;
            header?: {
                /** @description The streamRevision you decided on (from a command answer or a read): 409 CONCURRENCY_CONFLICT if the stream has moved on since. Without it a lost race is decided again */
                "If-Match"?: string;
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConfirmTransferRequest"];
            };
        };
        responses: {
            /** @description Recorded: the stream, its new revision and the log position of the last event written */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Deals_failTransfer: {
        parameters: {
            query?: never;
            header?: {
                /** @description The streamRevision you decided on (from a command answer or a read): 409 CONCURRENCY_CONFLICT if the stream has moved on since. Without it a lost race is decided again */
                "If-Match"?: string;
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReasonRequest"];
            };
        };
        responses: {
            /** @description Recorded: the stream, its new revision and the log position of the last event written */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Deals_quote: {
        parameters: {
            query?: never;
            header?: {
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OpenDealRequest"];
            };
        };
        responses: {
            /** @description The quote */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QuoteAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Ledger_accounts: {
        parameters: {
            query?: {
                /** @description The nextCursor of the page before, unchanged */
                cursor?: string;
                limit?: number;
            };
            header?: {
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountBalancePage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Ledger_account: {
        parameters: {
            query?: {
                /** @description The balance as of this instant (ISO 8601 with offset) */
                asOf?: string;
            };
            header?: {
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                /** @description An account name: cash, revenue:commission, escrow:buyer:<id>, ... */
                account: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountBalance"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Ledger_accountEntries: {
        parameters: {
            query?: {
                /** @description The nextCursor of the page before, unchanged */
                cursor?: string;
                limit?: number;
            };
            header?: {
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                /** @description An account name: cash, revenue:commission, escrow:buyer:<id>, ... */
                account: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountPostingPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Ledger_journal: {
        parameters: {
            query?: {
                /** @description The nextCursor of the page before, unchanged */
                cursor?: string;
                limit?: number;
                /** @description One deal's entries */
                dealId?: string;
            };
            header?: {
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JournalEntryPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    ListingQueries_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description The nextCursor of the page before, unchanged */
                cursor?: string;
                status?: "submitted" | "available" | "sold_out" | "rejected" | "withdrawn" | "expired";
                provider?: string;
                creditType?: "prepaid_api" | "enterprise_commitment" | "chatgpt_seats" | "startup_program" | "accelerator_partner" | "fine_tuning";
                sellerId?: string;
                /** @description An ISO 8601 instant with its offset (Z or ±hh:mm), between the years 2000 and 9999 */
                expiringBefore?: string;
            };
            header?: {
                /** @description Read your writes: a command answer's position. The answer waits (bounded) until the read models have passed it, else 503 READ_MODEL_BEHIND */
                "X-Min-Position"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListingPage"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Listings_submit: {
        parameters: {
            query?: never;
            header?: {
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SubmitListingRequest"];
            };
        };
        responses: {
            /** @description Created: the new stream, its revision and the log position of the last event written */
            201: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    ListingQueries_get: {
        parameters: {
            query?: never;
            header?: {
                /** @description Read your writes: a command answer's position. The answer waits (bounded) until the read models have passed it, else 503 READ_MODEL_BEHIND */
                "X-Min-Position"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Listing"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    MatchSuggestions_buyRequestsForListing: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: {
                /** @description Read your writes: a command answer's position. The answer waits (bounded) until the read models have passed it, else 503 READ_MODEL_BEHIND */
                "X-Min-Position"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MatchSuggestionList"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Listings_reprice: {
        parameters: {
            query?: never;
            header?: {
                /** @description The streamRevision you decided on (from a command answer or a read): 409 CONCURRENCY_CONFLICT if the stream has moved on since. Without it a lost race is decided again */
                "If-Match"?: string;
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RepriceListingRequest"];
            };
        };
        responses: {
            /** @description Recorded: the stream, its new revision and the log position of the last event written */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Listings_verify: {
        parameters: {
            query?: never;
            header?: {
                /** @description The streamRevision you decided on (from a command answer or a read): 409 CONCURRENCY_CONFLICT if the stream has moved on since. Without it a lost race is decided again */
                "If-Match"?: string;
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VerifyListingRequest"];
            };
        };
        responses: {
            /** @description Recorded: the stream, its new revision and the log position of the last event written */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Listings_failVerification: {
        parameters: {
            query?: never;
            header?: {
                /** @description The streamRevision you decided on (from a command answer or a read): 409 CONCURRENCY_CONFLICT if the stream has moved on since. Without it a lost race is decided again */
                "If-Match"?: string;
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FailListingVerificationRequest"];
            };
        };
        responses: {
            /** @description Recorded: the stream, its new revision and the log position of the last event written */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    Listings_withdraw: {
        parameters: {
            query?: never;
            header?: {
                /** @description The streamRevision you decided on (from a command answer or a read): 409 CONCURRENCY_CONFLICT if the stream has moved on since. Without it a lost race is decided again */
                "If-Match"?: string;
                /** @description The same key with the same body answers the first answer again, byte for byte, and records nothing; with another body 409 IDEMPOTENCY_KEY_REUSED. Keys are per principal */
                "Idempotency-Key"?: string;
                /** @description Your id for this request (a UUID, a trace id: 1 to 100 of A-Z a-z 0-9 . _ : -), recorded in the metadata of every event it causes and echoed in the answer; else a new one */
                "X-Correlation-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WithdrawListingRequest"];
            };
        };
        responses: {
            /** @description Recorded: the stream, its new revision and the log position of the last event written */
            200: {
                headers: {
                    "X-Correlation-Id": components["headers"]["X-Correlation-Id"];
                    /** @description true: the answer replays the first request with this Idempotency-Key */
                    "Idempotent-Replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandAnswer"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
}
