import { hashCommandRequest } from './request-hash.js';

describe('the request hash of an Idempotency-Key', () => {
  const request = { method: 'POST', path: '/v1/deals', principalId: 'broker-a', body: { priceCents: '100', listingId: 'L1' } };

  it('is the same for the same body in another key order', () => {
    expect(hashCommandRequest({ ...request, body: { listingId: 'L1', priceCents: '100' } })).toBe(hashCommandRequest(request));
  });

  it.each([
    ['method', { method: 'DELETE' }],
    ['path', { path: '/v1/deals/quote' }],
    ['principal', { principalId: 'broker-b' }],
    ['body', { body: { priceCents: '101', listingId: 'L1' } }],
  ])('changes with the %s', (_part, change) => {
    expect(hashCommandRequest({ ...request, ...change })).not.toBe(hashCommandRequest(request));
  });

  it('is sha256 hex', () => {
    expect(hashCommandRequest({ ...request, body: undefined })).toMatch(/^[0-9a-f]{64}$/);
  });
});
