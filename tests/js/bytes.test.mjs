// Bytes and large payloads in the client (docs/bytes.md, docs/protocol.md "Bytes"): `bin`
// lists both ways, blobs fetched in order, `big` messages, and the bulk lane.
import { test } from 'node:test';
import vm from 'node:vm';
import assert from 'node:assert/strict';
import { loadConnected, macrotask, plain, rejection } from './harness.mjs';

const welcome = (extra = {}) => ({ k: 'welcome', v: 1, label: 'main', ...extra });
const b64 = (arr) => Buffer.from(arr).toString('base64');
const bytesOf = (buf) => Array.from(new Uint8Array(buf));

// An XMLHttpRequest whose answers the test gives: `served[url] = {status, response}`; requests
// wait until `release()` when `hold` is set.
function fakeXhr() {
  const requests = [];
  const served = {};
  let hold = false;
  const pending = [];
  class XMLHttpRequest {
    open(method, url) { this.method = method; this.url = url; }
    send() {
      requests.push({ method: this.method, url: this.url, type: this.responseType });
      const answer = () => {
        const s = served[this.url];
        if (!s) { this.onerror(); return; }
        this.status = s.status;
        this.response = s.response;
        this.onload();
      };
      if (hold) pending.push(answer); else setTimeout(answer, 0);
    }
  }
  return {
    XMLHttpRequest, requests, served,
    hold() { hold = true; },
    release() { hold = false; for (const a of pending.splice(0)) a(); },
    // Answers the held requests newest first.
    releaseNewestFirst() { hold = false; for (const a of pending.splice(0).reverse()) a(); },
  };
}

// A WebSocket recording what is sent; `open()`/`fail()` decide how the connection goes.
function fakeSocket() {
  const sockets = [];
  class WebSocket {
    constructor(url) { this.url = url; this.sent = []; sockets.push(this); }
    send(data) { this.sent.push(typeof data === 'string' ? data : Array.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data)); }
    open() { this.onopen(); }
    fail(code = 1006) { this.onerror(); this.onclose({ code, reason: '' }); }
  }
  return { WebSocket, sockets };
}

async function connected(extra, web) {
  const h = await loadConnected({ web });
  h.deliver([welcome(extra)]);
  await macrotask();
  return h;
}

const invokes = (h) => h.messages().filter((m) => m.k === 'invoke');

test('a small Uint8Array argument rides inline as base64 in `bin`', async () => {
  const h = await connected();
  h.api.invoke('save', { data: new Uint8Array([0, 1, 2, 255]) });
  await macrotask();
  const [m] = invokes(h);
  assert.deepEqual(m.args, { data: { $bytes: 0 } });
  assert.deepEqual(m.bin, [{ b64: b64([0, 1, 2, 255]) }]);
});

test('views send only their bytes; ArrayBuffer and DataView, nested anywhere', async () => {
  const h = await connected();
  const all = new Uint8Array([10, 11, 12, 13, 14, 15]);
  h.api.invoke('save', {
    a: all.buffer,
    nested: { list: [new DataView(all.buffer, 1, 2), all.subarray(4)] },
    n: 3,
  });
  await macrotask();
  const [m] = invokes(h);
  assert.deepEqual(m.args, { a: { $bytes: 0 }, nested: { list: [{ $bytes: 1 }, { $bytes: 2 }] }, n: 3 });
  assert.deepEqual(m.bin, [{ b64: b64([10, 11, 12, 13, 14, 15]) }, { b64: b64([11, 12]) }, { b64: b64([14, 15]) }]);
});

test('bytes are found past plain values: deep, wide, behind a toJSON, in class instances', async () => {
  const h = await connected();
  const data = new Uint8Array([7, 8]);
  let deep = { data };
  for (let i = 0; i < 100; i++) deep = { d: deep };  // deeper than the plain walk goes
  const wide = Array.from({ length: 5000 }, (_, i) => ({ i }));  // more than it looks at
  wide.push({ data });
  class Holder { constructor() { this.data = data; } }
  h.api.invoke('a', { deep });
  h.api.invoke('b', { wide });
  h.api.invoke('c', { viaToJSON: { toJSON: () => data } });
  h.api.invoke('d', { held: new Holder() });
  h.api.invoke('e', { plain: [1, 'two', { three: [null, true] }] });
  await macrotask();
  const [a, b, c, d, e] = invokes(h);
  let inner = a.args.deep;
  for (let i = 0; i < 100; i++) inner = inner.d;
  assert.deepEqual(inner, { data: { $bytes: 0 } });
  assert.deepEqual(b.args.wide[5000], { data: { $bytes: 0 } });
  assert.deepEqual(c.args, { viaToJSON: { $bytes: 0 } });
  assert.deepEqual(d.args, { held: { data: { $bytes: 0 } } });
  for (const m of [a, b, c, d]) assert.deepEqual(m.bin, [{ b64: b64([7, 8]) }]);
  assert.deepEqual(e.args, { plain: [1, 'two', { three: [null, true] }] });
  assert.equal(e.bin, undefined);
});

test('bytes from another realm are recognised too', async () => {
  const h = await connected();
  const Foreign = vm.runInContext('Uint8Array', h.context);
  h.api.invoke('save', { a: new Foreign([1]), b: new Uint8Array([2]).buffer });
  await macrotask();
  assert.deepEqual(invokes(h)[0].bin, [{ b64: b64([1]) }, { b64: b64([2]) }]);
});

test('a result with inline bytes resolves to ArrayBuffers in place', async () => {
  const h = await connected();
  const p = h.api.invoke('load');
  await macrotask();
  h.deliver([{ k: 'result', id: 1, ok: { head: { $bytes: 0 }, list: [{ $bytes: 1 }, 'x'] }, bin: [{ b64: b64([1, 2]) }, { b64: '' }] }]);
  const v = await p;
  assert.equal(Object.prototype.toString.call(v.head), '[object ArrayBuffer]');
  assert.deepEqual(bytesOf(v.head), [1, 2]);
  assert.equal(v.list[0].byteLength, 0);
  assert.equal(v.list[1], 'x');
});

test('a blob is fetched once from the blobs URL, and messages behind it wait their turn', async () => {
  const x = fakeXhr();
  const h = await connected({ blobs: 'myapp://localhost/__myapp/blob/' }, { XMLHttpRequest: x.XMLHttpRequest });
  const got = [];
  const ch = new h.api.Channel((f) => got.push(Object.prototype.toString.call(f) === '[object ArrayBuffer]' ? 'bytes:' + f.byteLength : 'json:' + f));
  h.api.invoke('stream', { ch });
  await macrotask();
  x.served['myapp://localhost/__myapp/blob/tok1'] = { status: 200, response: new Uint8Array(100000).buffer };
  x.hold();
  h.deliver([
    { k: 'chan', ch: 1, i: 0, data: 'a' },
    { k: 'chan', ch: 1, i: 1, data: { $bytes: 0 }, bin: [{ blob: 'tok1', n: 100000 }] },
    { k: 'chan', ch: 1, i: 2, data: 'c' },
  ]);
  await macrotask();
  assert.deepEqual(got, ['json:a']); // frame 2 waits for frame 1's blob
  x.release();
  await macrotask();
  assert.deepEqual(got, ['json:a', 'bytes:100000', 'json:c']);
  assert.deepEqual(x.requests, [{ method: 'GET', url: 'myapp://localhost/__myapp/blob/tok1', type: 'arraybuffer' }]);
});

test('blobs of consecutive messages are fetched at once, and still handled in order', async () => {
  const x = fakeXhr();
  const h = await connected({ blobs: 'myapp://localhost/__myapp/blob/' }, { XMLHttpRequest: x.XMLHttpRequest });
  const got = [];
  const ch = new h.api.Channel((f) => got.push(new Uint8Array(f)[0]));
  h.api.invoke('stream', { ch });
  await macrotask();
  for (let i = 1; i <= 3; i++) {
    const buf = new Uint8Array(100000);
    buf[0] = i;
    x.served[`myapp://localhost/__myapp/blob/t${i}`] = { status: 200, response: buf.buffer };
  }
  x.hold();
  h.deliver([1, 2, 3].map((i) => ({ k: 'chan', ch: 1, i: i - 1, data: { $bytes: 0 }, bin: [{ blob: `t${i}`, n: 100000 }] })));
  await macrotask();
  assert.equal(x.requests.length, 3, 'all three fetches started before any answered');
  assert.deepEqual(got, []);
  x.releaseNewestFirst();
  await macrotask();
  assert.deepEqual(got, [1, 2, 3]);
});

test('a `big` message is fetched as text and handled in its place', async () => {
  const x = fakeXhr();
  const h = await connected({ blobs: 'myapp://localhost/__myapp/blob/' }, { XMLHttpRequest: x.XMLHttpRequest });
  const p = h.api.invoke('huge');
  await macrotask();
  x.served['myapp://localhost/__myapp/blob/t2'] = { status: 200, response: JSON.stringify({ k: 'result', id: 1, ok: { text: 'x'.repeat(1000) } }) };
  h.deliver([{ k: 'big', blob: 't2', n: 1030 }]);
  assert.equal((await p).text.length, 1000);
  assert.equal(x.requests[0].type, 'text');
});

test('a blob that cannot be fetched fails its call with transport.failed', async () => {
  const x = fakeXhr();
  const h = await connected({ blobs: 'myapp://localhost/__myapp/blob/' }, { XMLHttpRequest: x.XMLHttpRequest });
  const p = h.api.invoke('load');
  await macrotask();
  h.deliver([{ k: 'result', id: 1, ok: { $bytes: 0 }, bin: [{ blob: 'gone', n: 5 }] }]);
  const e = await rejection(p);
  assert.equal(e.code, 'transport.failed');
  assert.match(e.message, /could not fetch 5 bytes/);
});

test('bytes in an event payload become base64 text', async () => {
  const h = await connected();
  await h.api.emit('photo', { data: new Uint8Array([77, 97]) });
  const m = h.messages().find((x) => x.k === 'emit');
  assert.deepEqual(m.payload, { data: 'TWE=' });
});

const LANE = { lane: 'ws://127.0.0.1:5000/s3cret', thresholds: { laneJson: 1000, laneBytes: 10, laneMax: 100000 } };

test('large buffers and their batch go over the bulk lane, in order, once it is open', async () => {
  const ws = fakeSocket();
  const h = await connected(LANE, { WebSocket: ws.WebSocket });
  const before = h.posts.length;
  const p = h.api.invoke('save', { big: new Uint8Array(50).fill(7), small: new Uint8Array([1, 2]) });
  await macrotask();
  assert.equal(ws.sockets.length, 1);
  assert.equal(ws.sockets[0].url, 'ws://127.0.0.1:5000/s3cret');
  assert.equal(ws.sockets[0].sent.length, 0); // waiting for the connection
  h.api.invoke('after'); // queued behind the lane's batch
  await macrotask();
  assert.equal(h.posts.length, before);
  ws.sockets[0].open();
  const sent = ws.sockets[0].sent;
  assert.deepEqual(sent.slice(0, 2), ['u', new Array(50).fill(7)]);
  assert.equal(sent[2], 'j');
  const batch = JSON.parse(Buffer.from(sent[3]).toString('utf8'));
  assert.deepEqual(batch[0].args, { big: { $bytes: 0 }, small: { $bytes: 1 } });
  assert.deepEqual(batch[0].bin, [{ lane: 0 }, { b64: b64([1, 2]) }]);
  // The small call after it went through QWebChannel once the lane was open.
  assert.equal(JSON.parse(h.posts[before])[0].cmd, 'after');
  // Its cancel follows it on the lane.
  const ac = new AbortController();
  const q = h.api.invoke('save', { big: new Uint8Array(20) }, { signal: ac.signal });
  await macrotask();
  ac.abort();
  await rejection(q);
  const last = JSON.parse(Buffer.from(sent[sent.length - 1]).toString('utf8'));
  assert.deepEqual(plain(last), [{ k: 'cancel', id: 3 }]);
  h.deliver([{ k: 'result', id: 1, ok: 1 }]);
  assert.equal(await p, 1);
});

test('a large JSON batch goes over the lane', async () => {
  const ws = fakeSocket();
  const h = await connected(LANE, { WebSocket: ws.WebSocket });
  h.api.invoke('echo', { text: 'é'.repeat(2000) });
  await macrotask();
  ws.sockets[0].open();
  const [j, body] = ws.sockets[0].sent;
  assert.equal(j, 'j');
  assert.equal(JSON.parse(Buffer.from(body).toString('utf8'))[0].args.text, 'é'.repeat(2000));
});

test('the lane threshold counts bytes of UTF-8, not UTF-16 units', async () => {
  const ws = fakeSocket();
  const h = await connected(LANE, { WebSocket: ws.WebSocket });
  h.api.invoke('echo', { text: 'a'.repeat(900) });   // ~950 bytes: under laneJson (1000)
  await macrotask();
  assert.equal(ws.sockets.length, 0);
  h.api.invoke('echo', { text: '漢'.repeat(400) });  // ~450 units, ~1250 bytes: over it
  await macrotask();
  ws.sockets[0].open();
  const [j, body] = ws.sockets[0].sent;
  assert.equal(j, 'j');
  assert.equal(JSON.parse(Buffer.from(body).toString('utf8'))[0].args.text, '漢'.repeat(400));
});

test('when the lane cannot open, what waited for it goes through QWebChannel with inline bytes', async () => {
  const ws = fakeSocket();
  const h = await connected(LANE, { WebSocket: ws.WebSocket });
  const before = h.posts.length;
  h.api.invoke('save', { big: new Uint8Array(50).fill(3) });
  await macrotask();
  ws.sockets[0].fail();
  const [m] = JSON.parse(h.posts[before]);
  assert.deepEqual(m.bin, [{ b64: b64(new Array(50).fill(3)) }]);
  assert.ok(h.logs.warn.some((w) => /bulk lane is unavailable/.test(w)));
  // And from now on without trying the lane again.
  h.api.invoke('save', { big: new Uint8Array(60) });
  await macrotask();
  assert.equal(ws.sockets.length, 1);
  assert.equal(JSON.parse(h.posts[before + 1])[0].bin.length, 1);
});

test('a call on a lane that closes fails instead of waiting forever', async () => {
  const ws = fakeSocket();
  const h = await connected(LANE, { WebSocket: ws.WebSocket });
  const p = h.api.invoke('save', { big: new Uint8Array(50) });
  await macrotask();
  ws.sockets[0].open();
  ws.sockets[0].onclose({ code: 1009, reason: 'too big' });
  const e = await rejection(p);
  assert.equal(e.code, 'bridge.unavailable');
  assert.match(e.message, /bulk lane closed/);
});

test('a buffer over the lane limit is refused before it is sent', async () => {
  const ws = fakeSocket();
  const h = await connected(LANE, { WebSocket: ws.WebSocket });
  const p = h.api.invoke('save', { big: new Uint8Array(100001) });
  const ok = h.api.invoke('save', { big: new Uint8Array(100) });
  await macrotask();
  ws.sockets[0].open();
  const e = await rejection(p);
  assert.equal(e.code, 'limit.exceeded');
  assert.match(e.message, /100000 bytes/);
  // The other call of the batch still went.
  const batch = JSON.parse(Buffer.from(ws.sockets[0].sent[3]).toString('utf8'));
  assert.equal(batch.length, 1);
  assert.equal(batch[0].id, 2);
  h.deliver([{ k: 'result', id: 2, ok: 0 }]);
  assert.equal(await ok, 0);
});

test('a `big` answer that cannot be fetched fails its call with transport.failed, and the host frees it', async () => {
  const x = fakeXhr();
  const h = await connected({ blobs: 'myapp://localhost/__myapp/blob/' }, { XMLHttpRequest: x.XMLHttpRequest });
  const p = h.api.invoke('huge');
  await macrotask();
  const sent = h.posts.length;
  // Nothing served: the request fails (as a page CSP refusing the app's origin makes it fail).
  h.deliver([{ k: 'big', blob: 'gone', n: 600000000, id: 1 }]);
  const e = await rejection(p);
  assert.equal(e.code, 'transport.failed');
  assert.match(e.message, /connect-src must allow 'self'/);
  await macrotask();
  assert.deepEqual(h.posts.slice(sent).map((b) => JSON.parse(b)), [[{ k: 'lost', blob: 'gone' }]]);
});

test('a `big` channel frame that cannot be fetched closes its channel, not the page', async () => {
  const x = fakeXhr();
  const h = await connected({ blobs: 'myapp://localhost/__myapp/blob/' }, { XMLHttpRequest: x.XMLHttpRequest });
  const ch = new h.api.Channel(() => {});
  h.api.invoke('stream', { ch });
  await macrotask();
  h.deliver([{ k: 'big', blob: 'frame', n: 200000, ch: 1 }]);
  await ch.closed;
  const after = h.api.invoke('ping');
  await macrotask();
  h.deliver([{ k: 'result', id: 2, ok: 'pong' }]);
  assert.equal(await after, 'pong');
});

// Long strings as raw UTF-8 attachments ({"$str": i}, docs/protocol.md "Bytes").
const LONG = 'a'.repeat(64 * 1024) + '"\\\n\u0001é北😀';

test('long strings in args go over the lane as UTF-8 attachments; short ones stay in the JSON', async () => {
  const ws = fakeSocket();
  const h = await connected(LANE, { WebSocket: ws.WebSocket });
  h.api.invoke('save', { title: 'short', body: LONG, parts: [LONG, 'x', { deep: LONG }], data: new Uint8Array(20).fill(1) });
  await macrotask();
  ws.sockets[0].open();
  const sent = ws.sockets[0].sent;
  const utf8 = Array.from(Buffer.from(LONG, 'utf8'));
  assert.deepEqual(sent.slice(0, 8), ['u', utf8, 'u', utf8, 'u', utf8, 'u', new Array(20).fill(1)]);
  assert.equal(sent[8], 'j');
  const [m] = JSON.parse(Buffer.from(sent[9]).toString('utf8'));
  assert.deepEqual(m.args, { title: 'short', body: { $str: 0 }, parts: [{ $str: 1 }, 'x', { deep: { $str: 2 } }], data: { $bytes: 3 } });
  assert.deepEqual(m.bin, [{ lane: 0 }, { lane: 1 }, { lane: 2 }, { lane: 3 }]);
});

test('without a lane long strings stay in the JSON text', async () => {
  const h = await connected();
  h.api.invoke('save', { body: LONG });
  await macrotask();
  const [m] = invokes(h);
  assert.equal(m.args.body, LONG);
  assert.equal(m.bin, undefined);
});

test('when the lane cannot open, a waiting long string goes inline as base64 of its UTF-8, and later ones as JSON', async () => {
  const ws = fakeSocket();
  const h = await connected(LANE, { WebSocket: ws.WebSocket });
  const before = h.posts.length;
  h.api.invoke('save', { body: LONG });
  await macrotask();
  ws.sockets[0].fail();
  const [m] = JSON.parse(h.posts[before]);
  assert.deepEqual(m.args, { body: { $str: 0 } });
  assert.deepEqual(m.bin, [{ b64: Buffer.from(LONG, 'utf8').toString('base64') }]);
  h.api.invoke('save', { body: LONG });
  await macrotask();
  const [n] = JSON.parse(h.posts[before + 1]);
  assert.equal(n.args.body, LONG);
  assert.equal(n.bin, undefined);
});

test('a result or a frame with {"$str": i} resolves to the text, inline or fetched from a blob', async () => {
  const x = fakeXhr();
  const h = await connected({ blobs: 'myapp://localhost/__myapp/blob/' }, { XMLHttpRequest: x.XMLHttpRequest });
  const p = h.api.invoke('load');
  const frames = [];
  const ch = new h.api.Channel((v) => frames.push(v));
  h.api.invoke('stream', { ch });
  await macrotask();
  const utf8 = Buffer.from(LONG, 'utf8');
  x.served['myapp://localhost/__myapp/blob/t1'] = { status: 200, response: utf8.buffer.slice(utf8.byteOffset, utf8.byteOffset + utf8.length) };
  h.deliver([
    { k: 'result', id: 1, ok: { text: { $str: 0 }, also: [{ $str: 1 }, { $bytes: 1 }] }, bin: [{ blob: 't1', n: utf8.length }, { b64: b64(Buffer.from('Zoë')) }] },
    { k: 'chan', ch: 1, i: 0, data: { $str: 0 }, bin: [{ b64: utf8.toString('base64') }] },
    { k: 'chan_end', ch: 1, i: 1 },
  ]);
  const v = await p;
  assert.equal(v.text, LONG);
  assert.equal(v.also[0], 'Zoë');
  assert.deepEqual(bytesOf(v.also[1]), Array.from(Buffer.from('Zoë')));
  assert.equal(x.requests[0].type, 'arraybuffer');
  await ch.closed;
  assert.deepEqual(frames, [LONG]);
});

test('a long string that begins with U+FEFF keeps it, inline or fetched', async () => {
  const x = fakeXhr();
  const h = await connected({ blobs: 'myapp://localhost/__myapp/blob/' }, { XMLHttpRequest: x.XMLHttpRequest });
  const p = h.api.invoke('load');
  await macrotask();
  const text = '\ufeff' + LONG;
  const utf8 = Buffer.from(text, 'utf8');
  assert.deepEqual(Array.from(utf8.subarray(0, 3)), [0xef, 0xbb, 0xbf]);
  x.served['myapp://localhost/__myapp/blob/t1'] = { status: 200, response: utf8.buffer.slice(utf8.byteOffset, utf8.byteOffset + utf8.length) };
  h.deliver([{ k: 'result', id: 1, ok: [{ $str: 0 }, { $str: 1 }], bin: [{ blob: 't1', n: utf8.length }, { b64: utf8.toString('base64') }] }]);
  const [fetched, inline] = await p;
  assert.equal(fetched.charCodeAt(0), 0xfeff);
  assert.equal(fetched, text);
  assert.equal(inline, text);
});

test('long strings sent beside the JSON count against the batch limit', async () => {
  const ws = fakeSocket();
  const h = await connected({ ...LANE, limits: { batch: 200000 } }, { WebSocket: ws.WebSocket });
  const e = await rejection(h.api.invoke('save', { a: 'x'.repeat(70000), b: 'y'.repeat(70000), c: 'é'.repeat(70000) }));
  assert.equal(e.code, 'limit.exceeded');
  assert.match(e.message, /larger than the app accepts \(200000 bytes\)/);
  assert.equal(ws.sockets.length, 0);
});
