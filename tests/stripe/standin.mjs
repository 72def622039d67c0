// A local stand-in for the part of Stripe's API Atelier calls, for dev and tests only (no
// network here; production talks to api.stripe.com), and for Cloudflare's custom-hostnames
// API (schools' own domains; production: api.cloudflare.com/client/v4, under /client/v4 here). It answers with Stripe's JSON shapes,
// shows a "pay / fail / cancel" page, and posts webhooks signed exactly as Stripe signs them
// (`Stripe-Signature: t=<unix s>,v1=<hex HMAC-SHA256 of "t.body">`).
//
//   node tests/stripe/standin.mjs [port]      prints "listening <port>" once ready
//
// Every account shares one webhook signing secret (STANDIN_WEBHOOK_SECRET, or the default
// below): a creator pastes it in Settings → Payments, as they would paste Stripe's. The
// webhook goes to `{origin of success_url}/hooks/stripe`, the endpoint a creator registers.
// Test helpers: GET /_standin/events lists what was sent; POST /_standin/resend/{evt} sends
// an event again, exactly as it was (a replay); POST /_standin/pay/{cs} pays without a browser.
// Custom hostnames: GET /_standin/hostnames lists them (with the token that asked);
// POST /_standin/hostnames/{hostname}/activate plays "the creator's DNS records are in place";
// a hostname under `refused.test` is refused as Cloudflare refuses one it does not allow, and
// one under `down.test` gets a 503.
import http from 'node:http';
import crypto from 'node:crypto';
import { pathToFileURL } from 'node:url';

export const DEFAULT_WEBHOOK_SECRET = 'whsec_atelier_standin_0123456789abcdef';
const WEBHOOK_SECRET = process.env.STANDIN_WEBHOOK_SECRET || DEFAULT_WEBHOOK_SECRET;
const sessions = new Map();
const hostnames = new Map();
const events = [];
let port = 0;

const id = (prefix) => `${prefix}_${crypto.randomBytes(12).toString('hex')}`;

export function signature(payload, secret, t = Math.floor(Date.now() / 1000)) {
  const v1 = crypto.createHmac('sha256', secret).update(`${t}.${payload}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/// Stripe's form encoding (`a[b][c]=v`) into nested objects.
function parseForm(body) {
  const out = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split(/\[|\]\[|\]/).filter(Boolean);
    let at = out;
    path.forEach((k, i) => {
      if (i === path.length - 1) at[k] = value;
      else at = at[k] ??= {};
    });
  }
  return out;
}

function json(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

function stripeError(res, status, message, param) {
  json(res, status, { error: { type: 'invalid_request_error', message, param } });
}

function authorized(req) {
  return /^Bearer (sk|rk)_(test|live)_\w{8,}$/.test(req.headers.authorization || '');
}

/// Posts an event to the account's endpoint, signed; resolves with the endpoint's status.
function deliver(event, endpoint) {
  const payload = JSON.stringify(event);
  const url = new URL(endpoint);
  return new Promise((resolve) => {
    // To 127.0.0.1 with the school's Host: `*.localhost` needs no resolver that way.
    const req = http.request({ host: '127.0.0.1', port: url.port, path: url.pathname, method: 'POST', headers: {
      host: url.host, 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature(payload, WEBHOOK_SECRET), 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
    } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    req.on('error', () => resolve(0));
    req.end(payload);
  });
}

async function send(type, object, endpoint) {
  const event = { id: id('evt'), object: 'event', api_version: '2024-06-20', created: Math.floor(Date.now() / 1000), livemode: false, type, data: { object } };
  const status = await deliver(event, endpoint);
  events.push({ event, endpoint, status });
  return status;
}

const hookOf = (session) => new URL(session.success_url).origin + '/hooks/stripe';

async function pay(session) {
  session.status = 'complete';
  session.payment_status = 'paid';
  return send('checkout.session.completed', session, hookOf(session));
}

function page(session) {
  const amount = (session.amount_total / 100).toFixed(2) + ' ' + session.currency.toUpperCase();
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Stand-in checkout</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:2rem auto;padding:0 1rem;color:#1d2230}button{font:inherit;width:100%;padding:.8rem;margin:.3rem 0;border-radius:.5rem;border:1px solid #635bff;background:#fff;color:#3a33b8}button.pay{background:#635bff;color:#fff}</style></head>
<body><main><p>Stand-in checkout (test mode)</p><h1>${esc(session.line_items[0].name)}</h1><p><strong>${esc(amount)}</strong></p><p>${esc(session.customer_email || '')}</p>
<form method="post"><button class="pay" name="action" value="pay">Pay</button><button name="action" value="fail">Fail</button><button name="action" value="cancel">Cancel</button></form></main></body></html>`;
}

async function handle(req, res, body) {
  const url = new URL(req.url, `http://127.0.0.1:${port}`);
  const parts = url.pathname.split('/').filter(Boolean);
  if (url.pathname === '/favicon.ico') { res.writeHead(204); return res.end(); }
  if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
    if (!authorized(req)) return stripeError(res, 401, 'Invalid API Key provided.');
    const f = parseForm(body);
    const item = f.line_items?.['0'];
    const unit = Number(item?.price_data?.unit_amount);
    if (f.mode !== 'payment') return stripeError(res, 400, 'Missing required param: mode.', 'mode');
    if (!Number.isInteger(unit) || unit <= 0) return stripeError(res, 400, 'Invalid integer: unit_amount.', 'line_items[0][price_data][unit_amount]');
    if (!item?.price_data?.currency || !item?.price_data?.product_data?.name) return stripeError(res, 400, 'Missing required param: line_items[0][price_data].', 'line_items');
    if (!f.success_url || !f.cancel_url) return stripeError(res, 400, 'Missing required param: success_url.', 'success_url');
    const quantity = Number(item.quantity || 1);
    const behavior = item.price_data.tax_behavior || 'unspecified';
    if (!['inclusive', 'exclusive', 'unspecified'].includes(behavior)) return stripeError(res, 400, 'Invalid tax_behavior.', 'line_items[0][price_data][tax_behavior]');
    // Stripe Tax, as the stand-in plays it: a flat 20 % added to prices that exclude tax.
    const automaticTax = f.automatic_tax?.enabled === 'true';
    const subtotal = unit * quantity;
    const tax = automaticTax && behavior === 'exclusive' ? Math.round(subtotal * 0.2) : 0;
    const session = {
      id: id('cs_test'), object: 'checkout.session', mode: 'payment', livemode: false, status: 'open', payment_status: 'unpaid',
      amount_subtotal: subtotal, amount_total: subtotal + tax, total_details: { amount_tax: tax, amount_discount: 0, amount_shipping: 0 },
      automatic_tax: { enabled: automaticTax, status: automaticTax ? 'complete' : null }, tax_behavior: behavior,
      currency: item.price_data.currency.toLowerCase(),
      customer_email: f.customer_email || null, client_reference_id: f.client_reference_id || null, metadata: f.metadata || {},
      success_url: f.success_url, cancel_url: f.cancel_url, payment_intent: id('pi'),
      line_items: [{ name: item.price_data.product_data.name, quantity }],
    };
    session.url = `http://127.0.0.1:${port}/pay/${session.id}`;
    sessions.set(session.id, session);
    return json(res, 200, session);
  }
  if (req.method === 'GET' && parts[0] === 'v1' && parts[1] === 'checkout' && parts[2] === 'sessions' && parts[3]) {
    if (!authorized(req)) return stripeError(res, 401, 'Invalid API Key provided.');
    const s = sessions.get(parts[3]);
    return s ? json(res, 200, s) : stripeError(res, 404, `No such checkout.session: '${parts[3]}'`, 'id');
  }
  if (req.method === 'POST' && url.pathname === '/v1/refunds') {
    if (!authorized(req)) return stripeError(res, 401, 'Invalid API Key provided.');
    const f = parseForm(body);
    const s = [...sessions.values()].find((x) => x.payment_intent === f.payment_intent && x.payment_status === 'paid');
    if (!s) return stripeError(res, 400, `No such payment_intent: '${f.payment_intent}'`, 'payment_intent');
    const amount = Number(f.amount || s.amount_total);
    const refund = { id: id('re'), object: 'refund', amount, currency: s.currency, payment_intent: s.payment_intent, status: 'succeeded' };
    const charge = { id: id('ch'), object: 'charge', amount: s.amount_total, amount_refunded: amount, refunded: amount >= s.amount_total, currency: s.currency, payment_intent: s.payment_intent };
    await send('charge.refunded', charge, hookOf(s));
    return json(res, 200, refund);
  }
  if (parts[0] === 'pay' && parts[1]) {
    const s = sessions.get(parts[1]);
    if (!s) { res.writeHead(404); return res.end('No such session.'); }
    if (req.method === 'GET') { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); return res.end(page(s)); }
    const action = new URLSearchParams(body).get('action');
    if (action === 'pay') await pay(s);
    if (action === 'fail') { s.status = 'expired'; await send('checkout.session.expired', s, hookOf(s)); }
    const to = action === 'pay' ? s.success_url.replace('{CHECKOUT_SESSION_ID}', s.id) : s.cancel_url;
    res.writeHead(303, { location: to });
    return res.end();
  }
  if (req.method === 'POST' && parts[0] === '_standin' && parts[1] === 'pay' && parts[2]) {
    const s = sessions.get(parts[2]);
    if (!s) return stripeError(res, 404, 'No such session.');
    return json(res, 200, { webhook_status: await pay(s) });
  }
  if (parts[0] === 'client' && parts[1] === 'v4' && parts[2] === 'zones' && parts[4] === 'custom_hostnames') return customHostnames(req, res, parts, body);
  if (req.method === 'GET' && url.pathname === '/_standin/hostnames') return json(res, 200, [...hostnames.values()]);
  if (req.method === 'POST' && parts[0] === '_standin' && parts[1] === 'hostnames' && parts[3] === 'activate') {
    const h = [...hostnames.values()].find((x) => x.hostname === parts[2]);
    if (!h) return cfError(res, 404, 1436, 'Custom hostname not found.');
    h.status = 'active';
    h.ssl.status = 'active';
    return json(res, 200, h);
  }
  if (req.method === 'GET' && url.pathname === '/_standin/events') return json(res, 200, events.map((e) => ({ ...e.event, endpoint: e.endpoint, webhook_status: e.status })));
  if (req.method === 'POST' && parts[0] === '_standin' && parts[1] === 'resend' && parts[2]) {
    const e = events.find((x) => x.event.id === parts[2]);
    if (!e) return stripeError(res, 404, 'No such event.');
    return json(res, 200, { webhook_status: await deliver(e.event, e.endpoint) });
  }
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${url.pathname}).` } }));
}

function cfError(res, status, code, message) {
  json(res, status, { success: false, errors: [{ code, message }], messages: [], result: null });
}

/// Cloudflare for SaaS: create, read and delete custom hostnames, in Cloudflare's envelope.
function customHostnames(req, res, parts, body) {
  if (!/^Bearer [\w-]{20,}$/.test(req.headers.authorization || '')) return cfError(res, 403, 10000, 'Authentication error');
  const zone = parts[3];
  const found = parts[5] && hostnames.get(parts[5]);
  if (parts[5] && (!found || found.zone !== zone)) return cfError(res, 404, 1436, 'Custom hostname not found.');
  if (req.method === 'GET' && found) return json(res, 200, { success: true, errors: [], messages: [], result: found });
  if (req.method === 'DELETE' && found) {
    hostnames.delete(found.id);
    return json(res, 200, { success: true, errors: [], messages: [], result: { id: found.id } });
  }
  if (req.method === 'POST' && !parts[5]) {
    let asked;
    try { asked = JSON.parse(body); } catch { return cfError(res, 400, 1001, 'Invalid JSON.'); }
    const hostname = String(asked.hostname || '').toLowerCase();
    if (!/^([a-z0-9-]+\.)+[a-z]{2,}$/.test(hostname)) return cfError(res, 400, 1411, 'Custom hostname is invalid.');
    if (hostname.endsWith('.down.test')) return cfError(res, 503, 1000, 'Service unavailable.');
    if (hostname.endsWith('.refused.test')) return cfError(res, 400, 1411, 'Custom hostname not allowed.');
    if ([...hostnames.values()].some((h) => h.hostname === hostname && h.zone === zone)) return cfError(res, 409, 1406, 'Duplicate custom hostname found.');
    const h = {
      id: crypto.randomUUID(), zone, hostname, status: 'pending', created_at: new Date().toISOString(),
      ssl: { status: 'initializing', method: asked.ssl?.method || 'http', type: asked.ssl?.type || 'dv' },
      ownership_verification: { type: 'txt', name: `_cf-custom-hostname.${hostname}`, value: crypto.randomUUID() },
      token: req.headers.authorization.slice(7),
    };
    hostnames.set(h.id, h);
    return json(res, 200, { success: true, errors: [], messages: [], result: h });
  }
  return cfError(res, 405, 10405, 'Method not allowed.');
}

/// Starts the stand-in; resolves with its port. Inside a test process it does not keep the
/// process alive (`keepAlive` is for running it on its own).
export function start(listenPort = 0, keepAlive = false) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => { body += c; });
    req.on('end', () => handle(req, res, body).catch((e) => { res.writeHead(500); res.end(String(e)); }));
  });
  if (!keepAlive) server.unref();
  return new Promise((resolve) => server.listen(listenPort, '127.0.0.1', () => {
    port = server.address().port;
    resolve({ port, close: () => server.close() });
  }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { port: p } = await start(Number(process.argv[2] || 0), true);
  console.log(`listening ${p}`);
}
