// The stand-in signs webhooks exactly as Stripe does: Stripe's own library (the npm
// package `stripe`) accepts its signatures, and refuses them with another secret or late.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import { signature, DEFAULT_WEBHOOK_SECRET } from '../stripe/standin.mjs';

const stripe = new Stripe('sk_test_standin_check');

test("Stripe's library accepts the stand-in's signatures, and only those", () => {
  const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'checkout.session.completed', data: { object: { id: 'cs_1' } } });
  const header = signature(payload, DEFAULT_WEBHOOK_SECRET);
  assert.equal(stripe.webhooks.constructEvent(payload, header, DEFAULT_WEBHOOK_SECRET).id, 'evt_1');
  assert.throws(() => stripe.webhooks.constructEvent(payload, header, 'whsec_another_secret'));
  assert.throws(() => stripe.webhooks.constructEvent(payload + ' ', header, DEFAULT_WEBHOOK_SECRET));
  const late = signature(payload, DEFAULT_WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 400);
  assert.throws(() => stripe.webhooks.constructEvent(payload, late, DEFAULT_WEBHOOK_SECRET), /timestamp/i);
  // And the library's own test header is what the stand-in would write.
  const t = 1_700_000_000;
  assert.equal(stripe.webhooks.generateTestHeaderString({ payload, secret: DEFAULT_WEBHOOK_SECRET, timestamp: t }), signature(payload, DEFAULT_WEBHOOK_SECRET, t));
});
