// The per-page secret the host passes when it injects the client (docs/protocol.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './harness.mjs';

test('every post carries the secret the host wrapped the client with', async () => {
  const h = load({ secret: 'f00dfeed' });
  await h.connected;
  h.api.invoke('a');
  await null;
  assert.deepEqual(h.secrets, ['f00dfeed', 'f00dfeed']);
});

test('the secret is not reachable from the page', async () => {
  const h = load({ secret: 'f00dfeed' });
  await h.connected;
  const text = JSON.stringify(Object.getOwnPropertyNames(h.context)) +
    String(h.api.invoke) + String(h.api.listen) + String(h.api.Channel);
  assert.equal(text.includes('f00dfeed'), false);
});

test('without a wrapper the secret is empty', async () => {
  const h = load();
  await h.connected;
  assert.deepEqual(h.secrets, ['']);
});
