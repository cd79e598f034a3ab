// Channel (docs/protocol.md: `chan`, `chan_end`, `credit`, `{"$channel": id}`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadWelcomed, macrotask, plain } from './harness.mjs';

const frame = (ch, i, data) => ({ k: 'chan', ch, i, data });
const end = (ch, i) => ({ k: 'chan_end', ch, i });
/** Every message posted after hello, in order. */
const sent = (h) => h.messages().slice(1);

test('ids are positive, unique and independent of invoke ids', async () => {
  const h = await loadWelcomed();
  h.api.invoke('x');
  const a = new h.api.Channel();
  const b = new h.api.Channel(() => {});
  assert.equal(a.id, 1);
  assert.equal(b.id, 2);
  assert.deepEqual(plain(a.toJSON()), { $channel: 1 });
  assert.equal(a.onmessage, null);
  assert.equal(a.onclose, null);
  assert.equal(typeof a.closed.then, 'function');
  assert.throws(() => { a.id = 9; }, TypeError);
  assert.throws(() => new h.api.Channel('not a function'), (e) => e.code === 'args.invalid');
});

test('a channel anywhere inside invoke args is written as {"$channel": id}', async () => {
  const h = await loadWelcomed();
  const a = new h.api.Channel();
  const b = new h.api.Channel();
  h.api.invoke('stream', { out: a, nested: { list: [b, 1] } });
  await null;
  assert.equal(
    h.posts[1],
    '[{"k":"invoke","id":1,"cmd":"stream","args":{"out":{"$channel":1},"nested":{"list":[{"$channel":2},1]}}}]',
  );
});

test('frames are delivered in index order, whatever order they arrive in', async () => {
  const h = await loadWelcomed();
  const got = [];
  const ch = new h.api.Channel((d) => got.push(d));
  h.deliver([frame(1, 2, 'c'), frame(1, 0, 'a'), frame(1, 4, 'e')]);
  assert.deepEqual(got, ['a']);
  h.deliver([frame(1, 3, 'd')]);
  assert.deepEqual(got, ['a']);
  h.deliver([frame(1, 1, 'b'), frame(1, 5, 'f')]);
  assert.deepEqual(got, ['a', 'b', 'c', 'd', 'e', 'f']);
  assert.deepEqual(h.logs.warn, []);
  assert.equal(ch.id, 1);
});

test('duplicate and old indices are warned about and dropped', async () => {
  const h = await loadWelcomed();
  const got = [];
  new h.api.Channel((d) => got.push(d));
  h.deliver([frame(1, 0, 'a'), frame(1, 0, 'again'), frame(1, 2, 'c'), frame(1, 2, 'c again'), frame(1, -1, 'x'), frame(1, 1, 'b')]);
  assert.deepEqual(got, ['a', 'b', 'c']);
  assert.equal(h.logs.warn.length, 3);
});

test('a batch of N frames yields exactly one credit with n = N in the next post', async () => {
  const h = await loadWelcomed();
  const got = [];
  new h.api.Channel((d) => got.push(d));
  const N = 300;
  h.deliver(Array.from({ length: N }, (_, i) => frame(1, i, i)));
  assert.equal(got.length, N);
  assert.equal(h.posts.length, 1, 'credit is not posted synchronously');
  await null;
  assert.deepEqual(h.posts.slice(1), ['[{"k":"credit","ch":1,"n":300}]']);
  h.deliver([frame(1, N, 'more')]);
  await macrotask();
  assert.deepEqual(sent(h), [{ k: 'credit', ch: 1, n: 300 }, { k: 'credit', ch: 1, n: 1 }]);
});

test('credits of several channels and other messages share one batch', async () => {
  const h = await loadWelcomed();
  new h.api.Channel(() => {});
  new h.api.Channel(() => {});
  h.deliver([frame(1, 0), frame(2, 0), frame(1, 1), frame(2, 1), frame(2, 2)]);
  h.api.invoke('x');
  await null;
  assert.equal(h.posts.length, 2);
  assert.deepEqual(h.batches()[1], [
    { k: 'invoke', id: 1, cmd: 'x', args: {} },
    { k: 'credit', ch: 1, n: 2 },
    { k: 'credit', ch: 2, n: 3 },
  ]);
});

test('an async onmessage grants credit only once its promise settles', async () => {
  const h = await loadWelcomed();
  const resolvers = [];
  new h.api.Channel(() => new Promise((r) => resolvers.push(r)));
  h.deliver([frame(1, 0), frame(1, 1), frame(1, 2)]);
  assert.equal(resolvers.length, 3, 'frames do not wait for the previous promise');
  await macrotask();
  assert.equal(h.posts.length, 1, 'no credit while every promise is pending');
  resolvers[0]();
  resolvers[2]();
  await macrotask();
  assert.deepEqual(sent(h), [{ k: 'credit', ch: 1, n: 2 }]);
  resolvers[1]();
  await macrotask();
  assert.deepEqual(sent(h), [{ k: 'credit', ch: 1, n: 2 }, { k: 'credit', ch: 1, n: 1 }]);
});

test('a rejected promise is logged and still counts as consumed', async () => {
  const h = await loadWelcomed();
  new h.api.Channel(() => Promise.reject(new Error('async boom')));
  h.deliver([frame(1, 0)]);
  await macrotask();
  assert.deepEqual(sent(h), [{ k: 'credit', ch: 1, n: 1 }]);
  assert.equal(h.logs.error.length, 1);
  assert.match(h.logs.error[0], /async boom/);
});

test('a throwing onmessage is logged, grants credit, and later frames still arrive', async () => {
  const h = await loadWelcomed();
  const got = [];
  new h.api.Channel((d) => {
    if (d === 'bad') throw new Error('sync boom');
    got.push(d);
  });
  h.deliver([frame(1, 0, 'a'), frame(1, 1, 'bad'), frame(1, 2, 'c')]);
  h.deliver([frame(1, 3, 'd')]);
  assert.deepEqual(got, ['a', 'c', 'd']);
  assert.equal(h.logs.error.length, 1);
  assert.match(h.logs.error[0], /sync boom/);
  await null;
  assert.deepEqual(sent(h), [{ k: 'credit', ch: 1, n: 4 }]);
});

test('onmessage can be set after construction; frames before it are dropped with one warning', async () => {
  const h = await loadWelcomed();
  const got = [];
  const ch = new h.api.Channel();
  h.deliver([frame(1, 0, 'lost'), frame(1, 1, 'lost too')]);
  ch.onmessage = (d) => got.push(d);
  h.deliver([frame(1, 2, 'kept')]);
  assert.deepEqual(got, ['kept']);
  assert.equal(h.logs.warn.length, 1);
  await null;
  assert.deepEqual(sent(h), [{ k: 'credit', ch: 1, n: 3 }]);
});

test('chan_end before the last frame waits for it, then onclose runs and closed resolves', async () => {
  const h = await loadWelcomed();
  const events = [];
  const ch = new h.api.Channel((d) => events.push(d));
  ch.onclose = () => events.push('close');
  let closed = false;
  ch.closed.then(() => { closed = true; });
  h.deliver([frame(1, 0, 'a'), end(1, 3), frame(1, 2, 'c')]);
  await macrotask();
  assert.deepEqual(events, ['a']);
  assert.equal(closed, false);
  h.deliver([frame(1, 1, 'b')]);
  assert.deepEqual(events, ['a', 'b', 'c', 'close']);
  await ch.closed;
  assert.equal(closed, true);
  // The host has forgotten the channel: no credit for its last frames, and it is gone here too.
  assert.deepEqual(sent(h), [{ k: 'credit', ch: 1, n: 1 }]);
  h.deliver([frame(1, 3, 'late'), end(1, 3)]);
  assert.equal(h.logs.warn.length, 2);
  assert.deepEqual(events, ['a', 'b', 'c', 'close']);
});

test('chan_end after every frame closes at once; a throwing onclose is logged', async () => {
  const h = await loadWelcomed();
  const ch = new h.api.Channel(() => {});
  let closes = 0;
  ch.onclose = () => { closes++; throw new Error('close boom'); };
  h.deliver([frame(1, 0), frame(1, 1)]);
  h.deliver([end(1, 2)]);
  await ch.closed;
  assert.equal(closes, 1);
  assert.equal(h.logs.error.length, 1);
  assert.match(h.logs.error[0], /close boom/);
  const empty = new h.api.Channel(() => {});
  h.deliver([end(empty.id, 0)]);
  await empty.closed;
});

test('frames past the announced end and repeated ends are ignored with a warning', async () => {
  const h = await loadWelcomed();
  const got = [];
  const ch = new h.api.Channel((d) => got.push(d));
  h.deliver([end(1, 2), frame(1, 5, 'past'), end(1, 9), frame(1, 1, 'b'), frame(1, 0, 'a')]);
  await ch.closed;
  assert.deepEqual(got, ['a', 'b']);
  assert.equal(h.logs.warn.length, 2);
});

test('frames and ends for an unknown channel id are warned about and ignored', async () => {
  const h = await loadWelcomed();
  const got = [];
  new h.api.Channel((d) => got.push(d));
  h.deliver([frame(7, 0, 'x'), end(8, 0), frame(1, 0, 'ok')]);
  assert.deepEqual(got, ['ok']);
  assert.equal(h.logs.warn.length, 2);
  assert.match(h.logs.warn[0], /unknown channel 7/);
  assert.match(h.logs.warn[1], /unknown channel 8/);
  await macrotask();
  assert.deepEqual(sent(h), [{ k: 'credit', ch: 1, n: 1 }]);
});

test('a call that fails before its handler ran closes the channels it carried', async () => {
  const h = await loadWelcomed();
  const ch = new h.api.Channel(() => {});
  let closed = 0;
  ch.onclose = () => closed++;
  const p = h.api.invoke('nope', { channel: ch });
  await null;
  h.deliver([{ k: 'error', id: 1, error: { code: 'command.not_found', message: 'no command' } }]);
  await assert.rejects(p, (e) => e.code === 'command.not_found');
  await ch.closed;
  assert.equal(closed, 1);
  // A late end for it is dropped quietly.
  h.deliver([end(ch.id, 0)]);
  assert.deepEqual(h.logs.warn, []);
});

test('a handler error after frames leaves the channel to its own end', async () => {
  const h = await loadWelcomed();
  const got = [];
  const ch = new h.api.Channel((d) => got.push(d));
  const p = h.api.invoke('stream', { channel: ch });
  await null;
  h.deliver([frame(ch.id, 0, 'a'), { k: 'error', id: 1, error: { code: 'handler.failed', message: 'x' } }]);
  await assert.rejects(p, (e) => e.code === 'handler.failed');
  let ended = false;
  ch.closed.then(() => { ended = true; });
  await macrotask();
  assert.equal(ended, false);
  h.deliver([end(ch.id, 1)]);
  await ch.closed;
  assert.deepEqual(got, ['a']);
});

test('aborting a call closes its unused channels and drops their late frames quietly', async () => {
  const h = await loadWelcomed();
  const got = [];
  const ch = new h.api.Channel((d) => got.push(d));
  const c = new AbortController();
  const p = h.api.invoke('stream', { channel: ch }, { signal: c.signal });
  await null;
  c.abort();
  await assert.rejects(p, (e) => e.code === 'cancelled');
  await ch.closed;
  h.deliver([frame(ch.id, 0, 'late'), end(ch.id, 1)]);
  assert.deepEqual(got, []);
  assert.deepEqual(h.logs.warn, []);
});
