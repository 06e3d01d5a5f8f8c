/**
 * The security headers of every answer (helmet, hooked into the Fastify
 * instance in ledger-api.ts, so they are on error answers and on routes Nest
 * never sees too).
 *
 * helmet itself, not @fastify/helmet: that plugin calls helmet(options) anew
 * on every request (re-parsing every directive, through two async hooks),
 * which took 2-3% of the API's main thread under bench:commands. The
 * middleware here is built once and run from one synchronous hook.
 *
 * The API answers JSON only today, but a /dashboard HTML page will be served
 * from it later. The Content-Security-Policy is written for that page as a
 * self-hosted one: its HTML, its own script and style files and its fetches
 * to this API all come from this origin ('self'), with no inline script or
 * style, no eval and nothing from another origin. A page built that way
 * needs no change to this policy; one that wants a CDN or inline code must
 * change it here, on purpose. For JSON answers the policy costs nothing and
 * keeps a browser from running anything an answer might be tricked into
 * containing.
 *
 * Not sent:
 * - `upgrade-insecure-requests` (helmet's default): the service listens on
 *   plain HTTP (127.0.0.1, or behind a TLS-terminating proxy); a dashboard
 *   opened at http://127.0.0.1:3000 would have its own files upgraded to an
 *   https:// that does not answer.
 * Sent although the service speaks plain HTTP: Strict-Transport-Security,
 * for a year, without includeSubDomains or preload (those would bind the
 * operator's other hosts). Browsers ignore it over HTTP, so it changes
 * nothing locally, and behind a TLS proxy it keeps a browser on HTTPS.
 */
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

const ONE_YEAR_SECONDS = 365 * 24 * 3_600;

export const SECURITY_HEADERS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  // Nothing here is meant to be framed: DENY, as frame-ancestors 'none' says to newer browsers.
  xFrameOptions: { action: 'deny' },
  strictTransportSecurity: { maxAge: ONE_YEAR_SECONDS, includeSubDomains: false, preload: false },
  // helmet's defaults for the rest: X-Content-Type-Options nosniff, Referrer-Policy no-referrer,
  // Cross-Origin-Opener-Policy and Cross-Origin-Resource-Policy same-origin, X-DNS-Prefetch-Control off, ...
};

/** Sets the security headers on every answer of `fastify` (call before it listens: hooks added then cover every route). */
export function addSecurityHeaders(fastify: FastifyInstance, options: HelmetOptions = SECURITY_HEADERS): void {
  const setHeaders = helmet(options);
  fastify.addHook('onRequest', (request, reply, done) => {
    setHeaders(request.raw, reply.raw, (error?: unknown) => done(error instanceof Error ? error : undefined));
  });
}
