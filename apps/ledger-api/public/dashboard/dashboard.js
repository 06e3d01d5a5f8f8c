/**
 * The dashboard page: asks for a key, keeps it in this tab's sessionStorage,
 * and every REFRESH_MS reads the summary, the books and the recent facts
 * with it (Authorization: Bearer). Everything is written with textContent:
 * no answer is ever parsed as HTML.
 */
import {
  balanceRows,
  expiringChartData,
  expiringRows,
  factRows,
  formatCents,
  formatCentsByCurrency,
  formatTime,
  pipelineRows,
} from './dashboard-figures.js';

const KEY_STORAGE = 'ai-credit-ledger.dashboard-key';
const REFRESH_MS = 5_000;
const RECENT_FACTS = 15;
/** The books list's largest page (GET /v1/ledger/accounts). */
const ACCOUNTS_PAGE = 200;

const element = (id) => document.getElementById(id);
let chart = null;
let refreshTimer = null;

class KeyRefused extends Error {}

async function read(key, path) {
  const response = await fetch(path, { headers: { authorization: `Bearer ${key}` } });
  if (response.status === 401) throw new KeyRefused('This key is unknown or revoked.');
  const body = await response.json().catch(() => null);
  if (!response.ok) return { refused: `${response.status} ${body?.code ?? ''}: ${body?.message ?? 'no answer'}` };
  return { body };
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className !== undefined) td.className = className;
  return td;
}

function row(...cells) {
  const tr = document.createElement('tr');
  tr.append(...cells);
  return tr;
}

function renderPipeline(summary) {
  element('pipeline-rows').replaceChildren(
    ...pipelineRows(summary).map(({ status, deals }) => {
      const tr = row(cell(status.replaceAll('_', ' ')), cell(String(deals), 'number'));
      tr.dataset.status = status;
      if (deals === 0) tr.className = 'zero';
      return tr;
    }),
  );
  element('pipeline-total').textContent = String(summary.pipeline.total);
}

function renderExpiring(summary) {
  element('expiring-rows').replaceChildren(
    ...expiringRows(summary).map(({ days, listings, faceValueCents }) => {
      const tr = row(cell(`${days} days`), cell(String(listings), 'number'), cell(formatCentsByCurrency(faceValueCents), 'number'));
      tr.dataset.window = String(days);
      return tr;
    }),
  );
  const lost = summary.lostToExpiry;
  element('lost-to-expiry').textContent = `Lost to expiry so far: ${lost.expiredListings} ${lost.expiredListings === 1 ? 'listing' : 'listings'}, ${formatCentsByCurrency(lost.faceValueCents)}.`;
  const data = expiringChartData(summary);
  if (chart === null) {
    chart = new globalThis.Chart(element('expiring-chart'), {
      type: 'bar',
      data,
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'face value (whole units)' } } },
        plugins: { legend: { position: 'bottom' } },
      },
    });
  } else {
    chart.data = data;
    chart.update('none');
  }
}

function renderBooks(accounts) {
  const rows = accounts.refused === undefined ? balanceRows(accounts.body) : [];
  element('balance-rows').replaceChildren(
    ...rows.map(({ account, currency, balanceCents }) => {
      const tr = row(cell(account), cell(formatCents(balanceCents, currency), 'number'));
      tr.dataset.account = account;
      tr.dataset.currency = currency;
      return tr;
    }),
  );
  element('books-note').textContent =
    accounts.refused !== undefined
      ? `The books are not shown to this key (${accounts.refused}).`
      : accounts.body.nextCursor !== null
        ? `The first ${ACCOUNTS_PAGE} balances; GET /v1/ledger/accounts pages through the rest.`
        : 'Debits positive, credits negative: every entry sums to zero.';
}

function renderFacts(facts) {
  const rows = facts.refused === undefined ? factRows(facts.body) : [];
  element('fact-rows').replaceChildren(...rows.map(({ recordedAt, kind, subject, amount }) => row(cell(formatTime(recordedAt)), cell(kind), cell(subject, 'id'), cell(amount, 'number'))));
}

async function refresh(key) {
  const [summary, accounts, facts] = await Promise.all([
    read(key, '/v1/dashboard/summary'),
    read(key, `/v1/ledger/accounts?limit=${ACCOUNTS_PAGE}`),
    read(key, `/v1/dashboard/recent-facts?limit=${RECENT_FACTS}`),
  ]);
  if (summary.refused !== undefined) throw new KeyRefused(`This key may not read the dashboard (${summary.refused}).`);
  renderPipeline(summary.body);
  renderExpiring(summary.body);
  renderBooks(accounts);
  renderFacts(facts);
  element('status').textContent = `As of ${formatTime(summary.body.asOf)}, refreshed every ${REFRESH_MS / 1_000} s`;
  document.body.dataset.state = 'ready';
}

function signOut(message) {
  clearTimeout(refreshTimer);
  sessionStorage.removeItem(KEY_STORAGE);
  element('board').hidden = true;
  element('forget-key').hidden = true;
  element('key-form').hidden = false;
  element('key-error').textContent = message;
  element('status').textContent = '';
  document.body.dataset.state = 'signed-out';
}

async function show(key) {
  element('key-form').hidden = true;
  element('board').hidden = false;
  element('forget-key').hidden = false;
  try {
    await refresh(key);
  } catch (error) {
    if (error instanceof KeyRefused) return signOut(error.message);
    element('status').textContent = `Could not refresh: ${error.message}; trying again.`;
  }
  refreshTimer = setTimeout(() => show(key), REFRESH_MS);
}

element('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const key = element('key-input').value.trim();
  element('key-input').value = '';
  element('key-error').textContent = '';
  sessionStorage.setItem(KEY_STORAGE, key);
  void show(key);
});

element('forget-key').addEventListener('click', () => signOut(''));

const stored = sessionStorage.getItem(KEY_STORAGE);
if (stored !== null) void show(stored);
