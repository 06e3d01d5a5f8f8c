/**
 * What the dashboard page shows, from the API's answers: plain functions,
 * no DOM. Amounts stay decimal strings of cents, formatted with BigInt;
 * only the chart's bar heights become Numbers (whole units, for drawing).
 */

/** The deal statuses in the order a deal goes through them (shared/API.md), then its endings. */
export const DEAL_STATUSES = ['awaiting_approvals', 'approved', 'funded', 'transferring', 'transferred', 'settled', 'disputed', 'rejected', 'cancelled', 'expired'];

/** The summary's expiry windows, shortest first. */
export const EXPIRY_WINDOWS = [
  { days: 7, field: 'within7Days' },
  { days: 30, field: 'within30Days' },
  { days: 90, field: 'within90Days' },
];

/** "1234567" and "USD" -> "12,345.67 USD"; negative amounts keep their sign (a credit in the books). */
export function formatCents(centsText, currency) {
  const cents = BigInt(centsText);
  const negative = cents < 0n;
  const magnitude = negative ? -cents : cents;
  const whole = (magnitude / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = (magnitude % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${fraction} ${currency}`;
}

/** `{USD: "100", EUR: "200"}` -> "2.00 EUR, 1.00 USD" (currencies alphabetical); "none" when empty. */
export function formatCentsByCurrency(byCurrency) {
  const currencies = Object.keys(byCurrency).sort();
  return currencies.length === 0 ? 'none' : currencies.map((currency) => formatCents(byCurrency[currency], currency)).join(', ');
}

export function pipelineRows(summary) {
  return DEAL_STATUSES.map((status) => ({ status, deals: summary.pipeline[status] ?? 0 }));
}

export function expiringRows(summary) {
  return EXPIRY_WINDOWS.map(({ days, field }) => {
    const figure = summary.expiring[field] ?? { listings: 0, faceValueCents: {} };
    return { days, listings: figure.listings, faceValueCents: figure.faceValueCents };
  });
}

/** Chart.js data: one bar per window, one stacked dataset per currency, in whole units. */
export function expiringChartData(summary) {
  const rows = expiringRows(summary);
  const currencies = [...new Set(rows.flatMap((row) => Object.keys(row.faceValueCents)))].sort();
  return {
    labels: rows.map((row) => `${row.days} days`),
    datasets: currencies.map((currency, index) => ({
      label: currency,
      data: rows.map((row) => Number(BigInt(row.faceValueCents[currency] ?? '0') / 100n)),
      backgroundColor: CURRENCY_COLOURS[index % CURRENCY_COLOURS.length],
    })),
  };
}

const CURRENCY_COLOURS = ['#2f6fde', '#e08a1e', '#2e9d6a', '#9b4dca', '#c2410c'];

/** Account balances as rows; the books list is paged by account, so a long one ends in a note. */
export function balanceRows(accountsPage) {
  return accountsPage.items.map((item) => ({ account: item.account, currency: item.currency, balanceCents: item.balanceCents }));
}

/** A journal entry as a fact: what happened, to which deal or listing, and the amount it moved (its debits). */
export function factRows(recentFacts) {
  return recentFacts.items.map((entry) => ({
    recordedAt: entry.recordedAt,
    kind: entry.kind.replaceAll('_', ' '),
    subject: entry.dealId !== null ? `deal ${entry.dealId.slice(0, 8)}` : entry.listingId !== null ? `listing ${entry.listingId.slice(0, 8)}` : '',
    amount: formatCents(entry.postings.reduce((sum, posting) => (BigInt(posting.amountCents) > 0n ? sum + BigInt(posting.amountCents) : sum), 0n).toString(), entry.currency),
  }));
}

/** "2026-01-31T09:05:07.123Z" -> "09:05:07" in the reader's time zone, with the date when not today. */
export function formatTime(iso, now = new Date()) {
  const time = new Date(iso);
  const clock = time.toLocaleTimeString('en-GB', { hour12: false });
  return time.toDateString() === now.toDateString() ? clock : `${time.toISOString().slice(0, 10)} ${clock}`;
}
