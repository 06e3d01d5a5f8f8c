/**
 * The /dashboard page in real headless Chromium (Debian's `chromium`,
 * driven by playwright-core; scripts/install-chromium.sh installs it), on an
 * API holding a demo day of deals: the page asks for a key, refuses a wrong
 * one, and with a dashboard key shows the figures the API answers for that
 * key (pipeline counts, face value expiring per window, a books balance,
 * recent facts) and draws the expiring chart, all under the API's
 * Content-Security-Policy ('self' only, no inline code) with nothing
 * refused by it. A screenshot goes to test-artifacts/dashboard.png.
 *
 * Without Chromium this fails, on purpose: it is part of the suite.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readLedgerConfig } from '#configuration';
import { createTestDatabase, type TestDatabase } from '#testing';
import { runDemo } from '../apps/ledger-cli/src/demo/demo.command.js';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';

const ADMIN_KEY = 'test-admin-key-dashboard-page-0123456789';
const ARTIFACTS = join(process.cwd(), 'test-artifacts');
/** Debian's package; CHROMIUM_PATH names another build. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const STATUSES = ['awaiting_approvals', 'approved', 'funded', 'transferring', 'transferred', 'settled', 'disputed', 'rejected', 'cancelled', 'expired'];

interface Summary {
  readonly pipeline: Record<string, number>;
  readonly expiring: Record<string, { listings: number; faceValueCents: Record<string, string> }>;
}

/** How a person reads an amount: "12,345.67 USD". Written out here, not taken from the page's module. */
function money(cents: string, currency: string): string {
  const value = BigInt(cents);
  const magnitude = value < 0n ? -value : value;
  return `${value < 0n ? '-' : ''}${(magnitude / 100n).toLocaleString('en-US')}.${(magnitude % 100n).toString().padStart(2, '0')} ${currency}`;
}

describe('the dashboard page in headless Chromium', () => {
  let database: TestDatabase;
  let api: RunningLedgerApi;
  let browser: Browser;
  let page: Page;
  let dashboardKey: string;
  const problems: string[] = [];
  const read = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${dashboardKey}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is missing at ${CHROMIUM}: run scripts/install-chromium.sh (apt-get install chromium), or set CHROMIUM_PATH`);
    }
    database = await createTestDatabase([]);
    api = await startLedgerApi(readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: ADMIN_KEY }));
    dashboardKey = (await runDemo({ url: api.url, key: ADMIN_KEY, deals: 8 }, { progress: new PassThrough(), report: new PassThrough() })).dashboardKey;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    // A CSP refusal, a script error or a failed request is a console error or a page error.
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await database?.drop();
  });

  it('serves the page and its files from this origin under the Content-Security-Policy, without data', async () => {
    const response = await page.goto(`${api.url}/dashboard`);
    expect(response?.status()).toBe(200);
    const headers = response!.headers();
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toContain("style-src 'self'");
    await page.waitForFunction(() => typeof (globalThis as { Chart?: unknown }).Chart === 'function');
    expect(await page.locator('#key-form').isVisible()).toBe(true);
    expect(await page.locator('#board').isVisible()).toBe(false);
    expect((await fetch(`${api.url}/dashboard/assets/secrets.json`)).status).toBe(404);
  });

  it('refuses an unknown key and asks again', async () => {
    await page.fill('#key-input', 'lk_dashboard_not-a-key-anybody-was-given');
    await page.click('#key-form button[type=submit]');
    await page.waitForSelector('#key-error:not(:empty)');
    expect(await page.textContent('#key-error')).toContain('unknown or revoked');
    expect(await page.locator('#key-form').isVisible()).toBe(true);
    // The browser reports the refused reads as failed loads: those, and nothing else. The page asks for
    // several figures at once and shows the refusal at the first answer: let the others be refused too.
    await page.waitForLoadState('networkidle');
    expect(problems.filter((problem) => !problem.includes('status of 401'))).toEqual([]);
    problems.length = 0;
  });

  it('shows the pipeline, the expiring face value, the books and the recent facts the API answers', async () => {
    await page.fill('#key-input', dashboardKey);
    await page.click('#key-form button[type=submit]');
    await page.waitForSelector('body[data-state="ready"]');
    const summary = await read<Summary>('/v1/dashboard/summary');

    for (const status of STATUSES) {
      expect({ status, shown: await page.textContent(`tr[data-status="${status}"] td.number`) }).toEqual({ status, shown: String(summary.pipeline[status]) });
    }
    expect(await page.textContent('#pipeline-total')).toBe(String(summary.pipeline.total));
    expect(summary.pipeline.total).toBe(8);

    for (const [days, field] of [[7, 'within7Days'], [30, 'within30Days'], [90, 'within90Days']] as const) {
      const figure = summary.expiring[field]!;
      const cells = await page.locator(`tr[data-window="${days}"] td`).allTextContents();
      const faceValue = Object.keys(figure.faceValueCents).sort().map((currency) => money(figure.faceValueCents[currency]!, currency)).join(', ');
      expect({ days, cells }).toEqual({ days, cells: [`${days} days`, String(figure.listings), faceValue] });
    }
    expect(summary.expiring.within90Days!.listings).toBeGreaterThan(0);

    const accounts = await read<{ items: Array<{ account: string; currency: string; balanceCents: string }> }>('/v1/ledger/accounts?limit=200');
    const commission = accounts.items.find((item) => item.account === 'revenue:commission')!;
    expect(await page.textContent('tr[data-account="revenue:commission"] td.number')).toBe(money(commission.balanceCents, commission.currency));
    expect(await page.locator('#balance-rows tr').count()).toBe(accounts.items.length);

    const facts = await read<{ items: Array<{ kind: string }> }>('/v1/dashboard/recent-facts?limit=15');
    expect(facts.items.length).toBeGreaterThan(0);
    const shownKinds = await page.locator('#fact-rows tr td:nth-child(2)').allTextContents();
    expect(shownKinds).toEqual(facts.items.map((fact) => fact.kind.replaceAll('_', ' ')));
  });

  it('draws the expiring chart from the same figures, in whole units per currency', async () => {
    const summary = await read<Summary>('/v1/dashboard/summary');
    const drawn = await page.$eval('#expiring-chart', (element) => {
      // The browser's own types (tsconfig has no DOM library): what this reads of the canvas and of Chart.js.
      const canvas = element as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } };
      const { Chart } = globalThis as unknown as { Chart: { getChart(canvas: unknown): { data: { labels: string[]; datasets: Array<{ label: string; data: number[] }> } } | undefined } };
      const chart = Chart.getChart(canvas);
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let alpha = 3; alpha < pixels.length; alpha += 4) if (pixels[alpha]! > 0) painted++;
      return { width: canvas.width, height: canvas.height, painted, labels: chart?.data.labels, datasets: chart?.data.datasets.map((set) => ({ label: set.label, data: set.data })) };
    });
    expect(drawn.width).toBeGreaterThan(200);
    expect(drawn.height).toBeGreaterThan(100);
    expect(drawn.painted).toBeGreaterThan(1_000);
    expect(drawn.labels).toEqual(['7 days', '30 days', '90 days']);
    const currencies = [...new Set(Object.values(summary.expiring).flatMap((figure) => Object.keys(figure.faceValueCents)))].sort();
    expect(drawn.datasets).toEqual(
      currencies.map((currency) => ({
        label: currency,
        data: ['within7Days', 'within30Days', 'within90Days'].map((field) => Number(BigInt(summary.expiring[field]!.faceValueCents[currency] ?? '0') / 100n)),
      })),
    );
  });

  it('keeps the key for the tab: a reload shows the dashboard again; a screenshot is written', async () => {
    await page.reload();
    await page.waitForSelector('body[data-state="ready"]');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    expect(existsSync(join(ARTIFACTS, 'dashboard.png'))).toBe(true);
    expect(problems).toEqual([]);
  });
});
