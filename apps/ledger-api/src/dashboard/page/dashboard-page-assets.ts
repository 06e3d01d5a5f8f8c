/**
 * The files of the dashboard page, read once at start-up: its own HTML,
 * script modules and style sheet (apps/ledger-api/public/dashboard, plain
 * files that need no build), and Chart.js's self-contained UMD build from
 * node_modules. Served from this origin only, so the Content-Security-Policy
 * of security-headers.ts ('self', no inline code) holds as it is.
 */
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PageAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

const JAVASCRIPT = 'text/javascript; charset=utf-8';

/** The repository (or image) root: the nearest folder above this module with a package.json, from src/ under Jest or dist/ at run time. */
function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}: cannot find the dashboard page's files`);
    folder = parent;
  }
  return folder;
}

/** Chart.js's UMD build: one file, no imports, sets globalThis.Chart (an ES module build would need an import map, which is inline script). */
function chartJsFile(): string {
  // The package's main entry is dist/chart.cjs; its UMD build sits beside it.
  return join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');
}

export function loadDashboardPage(): { readonly html: PageAsset; readonly assets: ReadonlyMap<string, PageAsset> } {
  const folder = join(packageRoot(), 'apps/ledger-api/public/dashboard');
  const own = (name: string, contentType: string): [string, PageAsset] => [name, { contentType, body: readFileSync(join(folder, name)) }];
  return {
    html: { contentType: 'text/html; charset=utf-8', body: readFileSync(join(folder, 'index.html')) },
    assets: new Map([
      own('dashboard.js', JAVASCRIPT),
      own('dashboard-figures.js', JAVASCRIPT),
      own('dashboard.css', 'text/css; charset=utf-8'),
      ['chart.umd.min.js', { contentType: JAVASCRIPT, body: readFileSync(chartJsFile()) }],
    ]),
  };
}
