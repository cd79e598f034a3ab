// The IPC inspector's model (framework/runtime/inspector/model.js): frames of the `watch`
// channel applied to the rows, updates, trimming to maxRows, the link between an invoke and its
// answer, the toolbar's filters, calls/s and the pause count, the export to a recording (read
// back with fromRecording, as a frontend test would), and the formatting of the table's cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

// model.js is an ES module served to the inspector's window; no package.json around it says so
// to node, so it is imported from its text (it imports nothing itself).
const MODEL = readFileSync(new URL('../../framework/runtime/inspector/model.js', import.meta.url), 'utf8');
const {
  Model, DEFAULT_MAX_ROWS, filter, matcher, isUnfiltered, toRecording, isoNow, formatSize, formatUs, formatTime,
  formatDir, capabilityText, aclText, payloadText, cutText,
} = await import('data:text/javascript;base64,' + Buffer.from(MODEL).toString('base64'));
import { mockIPC, clearMocks, fromRecording } from '../../runtime-js/src/api/mocks.js';
import { invoke } from '../../runtime-js/src/api/core.js';

const PAGE = { window: 'main', url: 'myapp://localhost/index.html', origin: 'myapp://localhost', local: true, session: 1 };

let nextSeq = 1;
let nextT = 10;
// A row as C++ sends it: the message's JSON text and its size filled in.
function row(fields, message) {
  const json = message === undefined ? undefined : JSON.stringify(message);
  const r = { seq: nextSeq++, t: (nextT += 0.25), ...PAGE, ...fields };
  if (json !== undefined) {
    r.json = json;
    r.size = json.length;
  }
  return r;
}
const invokeRow = (id, cmd, args = {}, fields = {}) =>
  row({ dir: 'in', kind: 'invoke', name: cmd, id, status: 'pending', ...fields }, { k: 'invoke', id, cmd, args });
const resultRow = (id, cmd, ok, fields = {}) =>
  row({ dir: 'out', kind: 'result', name: cmd, id, status: 'ok', ...fields }, { k: 'result', id, ok });
const errorRow = (id, cmd, code, fields = {}) =>
  row({ dir: 'out', kind: 'error', name: cmd, id, status: 'error', code, ...fields },
    { k: 'error', id, error: { code, message: 'no' } });
const eventRow = (event, fields = {}) =>
  row({ dir: 'out', kind: 'event', name: event, ...fields }, { k: 'event', event, payload: 1 });

test('frames add rows by seq; updates merge into the row they name and one for a dropped seq is ignored', () => {
  const m = new Model();
  const call = invokeRow(1, 'greet', { name: 'Ada' });
  const answer = resultRow(1, 'greet', 'Hello, Ada!');
  let changes = m.applyFrame({ rows: [call], windows: ['main', 'settings'] });
  assert.deepEqual(changes.added.map((r) => r.seq), [call.seq]);
  assert.equal(changes.windowsChanged, true);
  assert.deepEqual(m.windowNames(), ['main', 'settings']);
  assert.equal(m.get(call.seq).status, 'pending');

  const acl = { allowed: true, capability: 'default', file: 'capabilities/default.json', permission: 'allow-greet' };
  changes = m.applyFrame({
    rows: [answer],
    updates: [
      { seq: call.seq, status: 'ok', queued_us: 40, handler_us: 120.5, acl },
      { seq: 999999, status: 'error' }, // never held (or long dropped): ignored
    ],
  });
  assert.deepEqual([...changes.updated], [call.seq]);
  assert.equal(changes.windowsChanged, false);
  const held = m.get(call.seq);
  assert.equal(held.status, 'ok');
  assert.equal(held.queued_us, 40);
  assert.equal(held.handler_us, 120.5);
  assert.deepEqual(held.acl, acl);
  assert.equal(held.name, 'greet'); // fields the update does not name stay
  assert.equal(m.has(999999), false);
  assert.equal(m.size, 2);
  assert.equal(m.received, 2);

  // Keys may be missing, and a frame may be empty or not a frame at all.
  for (const f of [{}, null, 'x', { rows: [null, { no: 'seq' }] }]) {
    const c = m.applyFrame(f);
    assert.equal(c.added.length + c.dropped.length + c.updated.size, 0);
  }
  assert.equal(m.size, 2);
});

test('a row sent twice is merged, not held twice; rows out of order are kept in seq order', () => {
  const m = new Model();
  const a = invokeRow(1, 'a');
  const b = invokeRow(2, 'b');
  const c = invokeRow(3, 'c');
  m.applyFrame({ rows: [a, c] });
  const changes = m.applyFrame({ rows: [b, { ...a, status: 'ok' }] });
  assert.deepEqual(changes.added.map((r) => r.seq), [b.seq]);
  assert.deepEqual([...changes.updated], [a.seq]);
  assert.deepEqual(m.rows.map((r) => r.seq), [a.seq, b.seq, c.seq]);
  assert.equal(m.get(a.seq).status, 'ok');
  assert.equal(m.received, 3);
});

test('the model keeps the newest maxRows rows and says which it let go', () => {
  assert.equal(new Model().maxRows, DEFAULT_MAX_ROWS);
  assert.equal(new Model({ maxRows: -3 }).maxRows, DEFAULT_MAX_ROWS);
  const m = new Model({ maxRows: 5 });
  const first = Array.from({ length: 4 }, (_, i) => eventRow('tick' + i));
  m.applyFrame({ rows: first });
  const second = Array.from({ length: 4 }, (_, i) => eventRow('tock' + i, { window: 'other' }));
  const changes = m.applyFrame({ rows: second, updates: [{ seq: first[0].seq, status: 'x' }, { seq: first[3].seq, status: 'y' }] });
  assert.deepEqual(changes.dropped.map((r) => r.seq), first.slice(0, 3).map((r) => r.seq));
  assert.deepEqual(m.rows.map((r) => r.seq), [first[3], ...second].map((r) => r.seq));
  assert.deepEqual(changes.added.map((r) => r.seq), second.map((r) => r.seq));
  assert.deepEqual([...changes.updated], [first[3].seq]); // the dropped row's update is not reported
  assert.equal(m.has(first[0].seq), false);
  assert.equal(changes.windowsChanged, true); // 'other' is new
  assert.deepEqual(m.windowNames(), ['main', 'other']);

  // A frame bigger than maxRows keeps its newest rows only; added lists only the rows held.
  const burst = Array.from({ length: 12 }, (_, i) => eventRow('burst' + i));
  const c2 = m.applyFrame({ rows: burst });
  assert.deepEqual(m.rows.map((r) => r.seq), burst.slice(-5).map((r) => r.seq));
  assert.deepEqual(c2.added.map((r) => r.seq), burst.slice(-5).map((r) => r.seq));
  assert.equal(c2.dropped.length, 12); // 5 held before and 7 of the burst
  assert.deepEqual(m.windowNames(), ['main']); // no held row names 'other' any more
  assert.equal(m.received, 20);

  // maxRows from `watch` lowers the limit at once.
  const dropped = m.setMaxRows(2);
  assert.equal(dropped.length, 3);
  assert.equal(m.size, 2);
});

test('an invoke and its answer are linked by window, page load and id, and unlinked when either is dropped', () => {
  const m = new Model({ maxRows: 100 });
  const call = invokeRow(7, 'greet');
  const otherWindow = invokeRow(7, 'greet', {}, { window: 'settings' });
  const reloaded = invokeRow(7, 'greet', {}, { session: 2 });
  const answer = resultRow(7, 'greet', 'hi');
  const otherAnswer = errorRow(7, 'greet', 'nope', { window: 'settings' });
  m.applyFrame({ rows: [call, otherWindow, reloaded] });
  assert.equal(m.partnerOf(call.seq), undefined);
  m.applyFrame({ rows: [answer, otherAnswer] });
  assert.equal(m.partnerOf(call.seq), answer.seq);
  assert.equal(m.partnerOf(answer.seq), call.seq);
  assert.equal(m.partnerOf(otherWindow.seq), otherAnswer.seq);
  assert.equal(m.partnerOf(otherAnswer.seq), otherWindow.seq);
  assert.equal(m.partnerOf(reloaded.seq), undefined); // session 2 has had no answer

  // An answer whose call was sampled away links to nothing; a later call with the same id
  // (a new page load restarts ids) links to its own answer.
  const orphan = resultRow(9, 'lost_call', 1);
  m.applyFrame({ rows: [orphan] });
  assert.equal(m.partnerOf(orphan.seq), undefined);

  const small = new Model({ maxRows: 2 });
  const c = invokeRow(1, 'slow');
  const r = resultRow(1, 'slow', 1);
  small.applyFrame({ rows: [c, r] });
  assert.equal(small.partnerOf(r.seq), c.seq);
  small.applyFrame({ rows: [eventRow('e')] });
  assert.equal(small.has(c.seq), false);
  assert.equal(small.partnerOf(r.seq), undefined);
  assert.equal(small.answerOf.size + small.callOf.size + small.callByKey.size + small.answerByKey.size, 0);
});

test('filters: window, kind groups, name (substring, any case) and errors only, combined', () => {
  const rows = [
    invokeRow(1, 'notes_list'), // 0
    resultRow(1, 'notes_list', []), // 1
    invokeRow(2, 'delete_note', {}, { status: 'denied', code: 'acl.denied' }), // 2
    errorRow(3, 'save_note', 'io.failed'), // 3
    eventRow('note-saved'), // 4
    row({ dir: 'in', kind: 'emit', name: 'Note-Opened', window: 'settings' }, { k: 'emit', event: 'note-opened', payload: 1 }), // 5
    row({ dir: 'out', kind: 'chan', name: '4', ch: 4 }, { k: 'chan', ch: 4, i: 0, data: 1 }), // 6
    row({ dir: 'out', kind: 'chan_end', ch: 4 }, { k: 'chan_end', ch: 4, i: 1 }), // 7
    row({ dir: 'in', kind: 'credit', ch: 4 }, { k: 'credit', ch: 4, n: 8 }), // 8
    row({ dir: 'in', kind: 'cancel', id: 2 }, { k: 'cancel', id: 2 }), // 9
    row({ dir: 'in', kind: 'listen', name: 'note-saved' }, { k: 'listen', event: 'note-saved' }), // 10
    row({ dir: 'in', kind: 'unlisten', name: 'note-saved' }, { k: 'unlisten', event: 'note-saved' }), // 11
    row({ dir: 'in', kind: 'hello' }, { k: 'hello', v: 1 }), // 12
    row({ dir: 'out', kind: 'welcome' }, { k: 'welcome', v: 1 }), // 13
    row({ dir: 'out', kind: 'fault', code: 'protocol.invalid', status: 'error' }, { k: 'fault' }), // 14
    invokeRow(4, 'notes_list', {}, { window: 'settings', status: 'ok' }), // 15
  ];
  const idx = (criteria) => filter(rows, criteria).map((r) => rows.indexOf(r));
  assert.deepEqual(idx({}), rows.map((_, i) => i));
  assert.deepEqual(idx({ window: 'all', kind: 'all', name: '  ', errorsOnly: false }), rows.map((_, i) => i));
  assert.equal(isUnfiltered({ window: 'all', kind: 'all', name: ' ' }), true);
  assert.equal(isUnfiltered({ errorsOnly: true }), false);

  assert.deepEqual(idx({ window: 'settings' }), [5, 15]);
  assert.deepEqual(idx({ kind: 'invoke' }), [0, 2, 15]);
  assert.deepEqual(idx({ kind: 'result' }), [1]);
  assert.deepEqual(idx({ kind: 'error' }), [3]);
  assert.deepEqual(idx({ kind: 'event' }), [4, 5]);
  assert.deepEqual(idx({ kind: 'channel' }), [6, 7]);
  assert.deepEqual(idx({ kind: 'credit' }), [8]);
  assert.deepEqual(idx({ kind: 'cancel' }), [9]);
  assert.deepEqual(idx({ kind: 'listen' }), [10, 11]);
  assert.deepEqual(idx({ kind: 'other' }), [12, 13, 14]);

  assert.deepEqual(idx({ name: 'NOTE' }), [0, 1, 2, 3, 4, 5, 10, 11, 15]);
  assert.deepEqual(idx({ name: 'opened' }), [5]); // any case, either side
  assert.deepEqual(idx({ name: 'list' }), [0, 1, 15]);
  assert.deepEqual(idx({ name: 'zzz' }), []);

  // Refused or failed calls, error answers and faults.
  assert.deepEqual(idx({ errorsOnly: true }), [2, 3, 14]);
  assert.deepEqual(idx({ errorsOnly: true, kind: 'invoke' }), [2]);
  assert.deepEqual(idx({ window: 'settings', kind: 'invoke', name: 'notes' }), [15]);
  assert.deepEqual(idx({ window: 'main', name: 'list', kind: 'result' }), [1]);

  // An invoke that fails later passes "errors only" once its update arrives.
  const m = new Model();
  const call = invokeRow(5, 'flaky');
  m.applyFrame({ rows: [call] });
  const errorsOnly = matcher({ errorsOnly: true });
  assert.equal(errorsOnly(m.get(call.seq)), false);
  m.applyFrame({ updates: [{ seq: call.seq, status: 'error', code: 'flaky.failed' }] });
  assert.equal(errorsOnly(m.get(call.seq)), true);
});

test('skipped counts are the totals since the last clear; clear forgets rows, links, stats and counts', () => {
  const m = new Model();
  m.applyFrame({ rows: [invokeRow(1, 'a'), resultRow(1, 'a', 1)], skipped: { invoke: 3, event: 2 } });
  assert.equal(m.skippedTotal, 5);
  m.applyFrame({ skipped: { invoke: 10, event: 2, chan: 1 } });
  assert.deepEqual(m.skipped, { invoke: 10, event: 2, chan: 1 });
  assert.equal(m.skippedTotal, 13);
  m.applyFrame({ stats: [{ name: 'a', calls: 11, errors: 0, denied: 0, handler_us_total: 110, queued_us_total: 5, handler_us_max: 20 }] });
  assert.equal(m.stats.get('a').calls, 11);
  m.applyFrame({ windows: ['main'] });

  m.clear();
  assert.equal(m.size, 0);
  assert.equal(m.received, 0);
  assert.equal(m.skippedTotal, 0);
  assert.deepEqual(m.skipped, {});
  assert.equal(m.stats.size, 0);
  assert.equal(m.answerOf.size + m.callOf.size + m.callByKey.size + m.answerByKey.size, 0);
  assert.deepEqual(m.windowNames(), ['main']); // the windows are still open
  // A frame C++ sent before it cleared brings nothing back; later rows have higher seqs.
  const late = invokeRow(2, 'b');
  m.applyFrame({ rows: [late] });
  m.clear();
  m.applyFrame({ rows: [late, { ...late, seq: late.seq - 1 }], updates: [{ seq: late.seq, status: 'ok' }] });
  assert.equal(m.size, 0);
  assert.equal(m.received, 0);
  const again = invokeRow(1, 'a');
  m.applyFrame({ rows: [again] });
  assert.deepEqual(m.rows, [again]);
});

test('calls/s counts the calls of the last second: from the stats when C++ sends them, else from the rows', () => {
  const m = new Model();
  // The first frame is the replay of earlier calls: not this second's.
  m.applyFrame({ rows: [invokeRow(1, 'a'), invokeRow(2, 'a')] }, 1000);
  assert.equal(m.callsPerSecond(1000), 0);
  m.applyFrame({ rows: [invokeRow(3, 'a'), eventRow('e')], skipped: { invoke: 4 } }, 1100);
  assert.equal(m.callsPerSecond(1100), 5); // one row and four sampled away
  m.applyFrame({ rows: [invokeRow(4, 'a')] }, 1500);
  assert.equal(m.callsPerSecond(1500), 6);
  assert.equal(m.callsPerSecond(2050), 6);
  assert.equal(m.callsPerSecond(2150), 1); // the frame at 1100 is more than a second old
  assert.equal(m.callsPerSecond(2600), 0); // nothing arrived for over a second

  // With stats, their calls are the count (every call, sampled or not).
  const s = new Model();
  const stats = (a, b) => [{ name: 'a', calls: a }, { name: 'b', calls: b }];
  s.applyFrame({ stats: stats(100, 50) }, 0);
  s.applyFrame({ stats: stats(130, 50), rows: [invokeRow(1, 'a')] }, 400);
  s.applyFrame({ stats: [{ name: 'b', calls: 70 }] }, 800); // one command's stats: the others stay
  assert.equal(s.callsPerSecond(900), 50);
  s.applyFrame({ rows: [invokeRow(2, 'a')] }, 1300); // no stats in this frame: its row is not counted twice
  assert.equal(s.callsPerSecond(1300), 50);
  assert.equal(s.callsPerSecond(1450), 20);
});

test('pause: the model keeps every row and counts what arrived since', () => {
  const m = new Model({ maxRows: 3 });
  m.applyFrame({ rows: [eventRow('a')] });
  const pausedAt = m.received;
  m.applyFrame({ rows: [eventRow('b'), eventRow('c'), eventRow('d')] });
  m.applyFrame({ rows: [eventRow('e')] });
  assert.equal(m.received - pausedAt, 4); // "Resume (4 new)", trimmed rows included
  assert.deepEqual(m.rows.map((r) => r.name), ['c', 'd', 'e']);
});

test('export: a recording whose records are the rows, in seq order, with the messages as JSON', () => {
  const call = invokeRow(1, 'greet', { name: 'Ada' });
  const answer = resultRow(1, 'greet', 'Hello, Ada!');
  const upload = invokeRow(2, 'checksum', { data: { $bytes: 0 } }, { bin: [100000] });
  upload.json = JSON.stringify({ k: 'invoke', id: 2, cmd: 'checksum', args: { data: { $bytes: 0 } }, bin: [{ lane: 0 }] });
  const bytesBack = resultRow(2, 'checksum', { $bytes: 0 }, { bin: [3, 70000] });
  const { text, records, left_out: leftOut } = toRecording([bytesBack, answer, upload, call], 'notes', '2026-12-06T11:09:07Z');
  assert.equal(records, 4);
  assert.equal(leftOut, 0);
  assert.ok(text.endsWith('\n'));
  const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines[0], { recording: 'myapp', v: 1, app: 'notes', started: '2026-12-06T11:09:07Z' });
  assert.deepEqual(lines.slice(1).map((l) => l.t), [call.t, answer.t, upload.t, bytesBack.t]);
  assert.deepEqual(lines[1], {
    t: call.t, session: 1, window: 'main', url: 'myapp://localhost/index.html', origin: 'myapp://localhost', local: true,
    dir: 'in', batch: [{ k: 'invoke', id: 1, cmd: 'greet', args: { name: 'Ada' } }],
  });
  assert.deepEqual(lines[2], {
    t: answer.t, session: 1, window: 'main', url: 'myapp://localhost/index.html', origin: 'myapp://localhost', local: true,
    dir: 'out', msg: { k: 'result', id: 1, ok: 'Hello, Ada!' },
  });
  assert.deepEqual(Object.keys(lines[2]), ['t', 'session', 'window', 'url', 'origin', 'local', 'dir', 'msg']);
  // Attachments by size: an answer's as `bin`, a batch's bulk-lane buffers as `uploads`.
  assert.deepEqual(lines[4].bin, [{ n: 3 }, { n: 70000 }]);
  assert.deepEqual(lines[3].uploads, [{ n: 100000 }]);
  assert.equal(lines[3].bin, undefined);
  assert.equal(lines[2].bin, undefined);

  // The header's time: ISO 8601, UTC, to the second, as C++ writes it.
  assert.match(toRecording([], 'x').text, /^\{"recording":"myapp","v":1,"app":"x","started":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"\}\n$/);
  assert.equal(isoNow(new Date(Date.UTC(2026, 11, 6, 11, 9, 7, 250))), '2026-12-06T11:09:07Z');
});

test('export: long strings and bytes the rows kept go into the recording, and replay', async () => {
  const long = 'é'.repeat(3000) + '\ufeff😀' + 'x'.repeat(2000);
  const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');
  // The page sent a long string on the lane (upload 1 of its batch; 0 was another call's); the
  // answer is a long string and bytes, both kept; a third call's answer was not kept.
  const call = invokeRow(1, 'shout', { text: { $str: 0 } });
  call.json = JSON.stringify({ k: 'invoke', id: 1, cmd: 'shout', args: { text: { $str: 0 } }, bin: [{ lane: 1 }] });
  call.bin = [Buffer.byteLength(long)];
  call.att = [{ n: Buffer.byteLength(long), lane: 1, str: true, text: long }];
  const answer = resultRow(1, 'shout', { text: { $str: 0 }, raw: { $bytes: 1 } }, { bin: [Buffer.byteLength(long), 3] });
  answer.att = [{ n: Buffer.byteLength(long), str: true, text: long.toUpperCase() }, { n: 3, b64: 'AQID' }];
  const big = resultRow(2, 'shout', { $str: 0 }, { bin: [900000] });
  big.att = [{ n: 900000, str: true }];
  const { text } = toRecording([call, answer, big], 'notes');
  const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines[1].batch[0].bin, [{ lane: 0 }]);
  assert.deepEqual(lines[1].uploads, [{ b64: b64(long) }]);
  assert.deepEqual(lines[2].bin, [{ b64: b64(long.toUpperCase()) }, { b64: 'AQID' }]);
  assert.deepEqual(lines[3].bin, [{ n: 900000 }]);
  // The detail pane shows the strings in place.
  assert.ok(payloadText(call).includes(JSON.stringify(long)));
  assert.ok(payloadText(answer).includes(JSON.stringify(long.toUpperCase())));
  assert.ok(payloadText(big).includes('"$str": 0'));
  mockIPC(fromRecording(text, { match: 'args' }));
  try {
    const r = await invoke('shout', { text: long });
    assert.equal(r.text, long.toUpperCase());
    assert.deepEqual(Array.from(new Uint8Array(r.raw)), [1, 2, 3]);
  } finally {
    clearMocks();
  }
});

test('export leaves out the rows whose message was cut or not kept, and counts them', () => {
  const call = invokeRow(1, 'upload', { text: 'x'.repeat(50) });
  const cut = { ...invokeRow(2, 'upload', { text: 'y'.repeat(50) }), truncated: true };
  cut.json = cut.json.slice(0, 20);
  const cutButWhole = { ...resultRow(1, 'upload', 1), truncated: true }; // marked cut: not trusted
  const noJson = row({ dir: 'out', kind: 'event', name: 'e' });
  const notJson = { ...eventRow('f'), json: '{"k":"event",' };
  const kept = eventRow('g');
  const { text, records, left_out: leftOut } = toRecording([call, cut, cutButWhole, noJson, notJson, kept], 'app');
  assert.equal(records, 2);
  assert.equal(leftOut, 4);
  const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 3);
  assert.equal(lines[1].batch[0].id, 1);
  assert.equal(lines[2].msg.event, 'g');
});

test('an exported recording answers a frontend test through fromRecording', async () => {
  const ch = 5;
  const rows = [
    row({ dir: 'in', kind: 'hello' }, { k: 'hello', v: 1 }),
    invokeRow(1, 'greet', { name: 'Ada' }),
    resultRow(1, 'greet', 'Hello, Ada!'),
    invokeRow(2, 'count_to', { out: { $channel: ch }, n: 2 }),
    row({ dir: 'out', kind: 'chan', name: String(ch), ch }, { k: 'chan', ch, i: 0, data: 1 }),
    row({ dir: 'out', kind: 'chan', name: String(ch), ch }, { k: 'chan', ch, i: 1, data: 2 }),
    row({ dir: 'out', kind: 'chan_end', ch }, { k: 'chan_end', ch, i: 2 }),
    resultRow(2, 'count_to', 2),
    invokeRow(3, 'fail'),
    errorRow(3, 'fail', 'notes.not_found'),
  ];
  const m = new Model();
  m.applyFrame({ rows });
  const { text } = toRecording(filter(m.rows, {}), 'notes');
  mockIPC(fromRecording(text));
  try {
    assert.equal(await invoke('greet', { name: 'Ada' }), 'Hello, Ada!');
    await assert.rejects(invoke('fail'), (e) => e.code === 'notes.not_found');
  } finally {
    clearMocks();
  }
});

test('cells: sizes, microseconds, times, directions, capability and the ACL in words', () => {
  assert.equal(formatSize(0), '0 B');
  assert.equal(formatSize(1023), '1023 B');
  assert.equal(formatSize(1536), '1.50 KiB');
  assert.equal(formatSize(200 * 1024), '200.0 KiB');
  assert.equal(formatSize(3 * 1024 * 1024 + 512 * 1024), '3.50 MiB');
  assert.equal(formatSize(undefined), '');
  assert.equal(formatUs(120), '0.12 ms');
  assert.equal(formatUs(4), '0.00 ms');
  assert.equal(formatUs(15300), '15.30 ms');
  assert.equal(formatUs(2500000), '2.50 s');
  assert.equal(formatUs(undefined), '');
  assert.equal(formatTime(92.793), '92.8');
  assert.equal(formatTime(0), '0.0');
  assert.equal(formatDir('in'), '→');
  assert.equal(formatDir('out'), '←');

  const allowed = { allowed: true, capability: 'default', file: 'capabilities/default.json', permission: 'allow-greet' };
  assert.equal(aclText(allowed).text, 'allowed by capability `default` (capabilities/default.json) through `allow-greet`');
  assert.equal(aclText(allowed).allowed, true);
  const deniedBy = { allowed: false, capability: 'locked', file: 'capabilities/locked.json', permission: 'deny-greet', why: 'greet is denied by deny-greet' };
  assert.equal(aclText(deniedBy).text, 'denied by capability `locked` (capabilities/locked.json) through `deny-greet`');
  assert.equal(aclText(deniedBy).why, 'greet is denied by deny-greet');
  const ungranted = { allowed: false, capability: '', file: '', permission: 'allow-delete-note', why: 'no capability grants delete_note' };
  assert.equal(aclText(ungranted).text, 'denied: no capability grants it (`allow-delete-note` would)');
  assert.equal(aclText(undefined), null);
  assert.equal(capabilityText({ acl: allowed }), 'default');
  assert.equal(capabilityText({ acl: ungranted }), 'none');
  assert.equal(capabilityText({}), '');

  assert.equal(payloadText({ json: '{"k":"result","id":1,"ok":[1,2]}' }), '{\n  "k": "result",\n  "id": 1,\n  "ok": [\n    1,\n    2\n  ]\n}');
  assert.equal(payloadText({ json: '{"k":"result","ok":"ab', truncated: true }), '{"k":"result","ok":"ab');
  assert.equal(payloadText({}), '');
  assert.deepEqual(cutText('abcdef', 4), { text: 'abcd', cut: 2 });
  assert.deepEqual(cutText('abc', 4), { text: 'abc', cut: 0 });
});

test('2,000 rows a frame into a full model stay fast', () => {
  const m = new Model();
  const frames = [];
  let seq = 1;
  for (let f = 0; f < 50; f++) {
    const rows = [];
    for (let i = 0; i < 2000; i++, seq++) {
      const id = (seq + 1) >> 1;
      rows.push(seq % 2
        ? { seq, t: seq / 10, ...PAGE, dir: 'in', kind: 'invoke', name: 'cmd' + (id % 20), id, status: 'pending', size: 40, json: '{}' }
        : { seq, t: seq / 10, ...PAGE, dir: 'out', kind: 'result', name: 'cmd' + (id % 20), id, status: 'ok', size: 30, json: '{}' });
    }
    frames.push({ rows, updates: rows.filter((r) => r.kind === 'invoke').slice(0, 500).map((r) => ({ seq: r.seq - 100, status: 'ok' })) });
  }
  const match = matcher({ name: 'CMD1', errorsOnly: false });
  const start = performance.now();
  for (const f of frames) {
    m.applyFrame(f);
    m.rows.filter(match); // what the view does once per animation frame
  }
  const perFrame = (performance.now() - start) / frames.length;
  assert.equal(m.size, DEFAULT_MAX_ROWS);
  assert.equal(m.rows[0].seq, seq - DEFAULT_MAX_ROWS);
  assert.equal(m.partnerOf(seq - 1), seq - 2);
  assert.ok(perFrame < 50, `a frame took ${perFrame.toFixed(1)} ms`);
});
