// fromRecording(): a frontend test answered by what a real backend said. The fixture was
// recorded with MYAPP_RECORD from a real app (the calls of tests/runtime/recording_test.cpp):
// greet, a failing call, bytes over the lane (recorded by size only), a channel of 3 frames.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rejection } from './harness.mjs';

import { mockIPC, clearMocks, fromRecording } from '../../runtime-js/src/api/mocks.js';
import { invoke, Channel, IpcError } from '../../runtime-js/src/api/core.js';

afterEach(clearMocks);
const recording = readFileSync(new URL('./fixtures/recording.jsonl', import.meta.url), 'utf8');

test('invokes get the recorded answers: results, errors, channel frames', async () => {
  mockIPC(fromRecording(recording));
  assert.equal(await invoke('greet', { name: 'Ada' }), 'Hello, Ada!');
  const e = await rejection(invoke('fail'));
  assert.ok(e instanceof IpcError);
  assert.equal(e.code, 'notes.not_found');
  assert.equal(e.message, 'no note 7');
  const got = [];
  const ch = new Channel((v) => got.push(v));
  assert.equal(await invoke('count_to', { out: ch, n: 3 }), 3);
  await ch.closed;
  assert.deepEqual(got, [1, 2, 3]);
  // Bytes in the arguments match any bytes.
  assert.equal(await invoke('checksum', { data: new Uint8Array(3) }), 100000);
});

test('each recorded call answers once; then the command is not found', async () => {
  mockIPC(fromRecording(recording));
  await invoke('greet', { name: 'Ada' });
  const e = await rejection(invoke('greet', { name: 'Ada' }));
  assert.equal(e.code, 'command.not_found');
  assert.match(e.message, /no more calls of `greet`/);
  const never = await rejection(invoke('delete_everything'));
  assert.match(never.message, /the recording has no calls of `delete_everything`/);
});

test("match: 'args' refuses other arguments; the default falls back to the recorded order", async () => {
  mockIPC(fromRecording(recording, { match: 'args' }));
  const e = await rejection(invoke('greet', { name: 'Bob' }));
  assert.match(e.message, /with these arguments/);
  clearMocks();
  mockIPC(fromRecording(recording));
  assert.equal(await invoke('greet', { name: 'Bob' }), 'Hello, Ada!');
});

test('a recording that is not one is refused with the reason', () => {
  assert.throws(() => fromRecording('{"t":1}\n'), /not a myapp recording/);
  assert.throws(() => fromRecording('{"recording":"myapp","v":2}\n'), /version 2/);
  assert.throws(() => fromRecording('{"recording":"myapp","v":1}\nnot json\n'), /line 2 is not JSON/);
  assert.throws(() => fromRecording(42), /expected the text of a recording/);
  assert.throws(() => fromRecording(recording, { match: 'closest' }), /match must be/);
});

test('parsed records work as well as the text', async () => {
  const records = recording.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  mockIPC(fromRecording(records));
  assert.equal(await invoke('greet', { name: 'Ada' }), 'Hello, Ada!');
});

test('long strings recorded as attachments ({"$str": i}) match the arguments and answer as text', async () => {
  const long = 'x'.repeat(70000) + 'é😀';
  const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');
  const head = { session: 1, window: 'main', url: 'myapp://localhost/index.html', origin: 'myapp://localhost', local: true };
  const records = [
    { recording: 'myapp', v: 1, app: 't', started: '2026-12-06T00:00:00Z' },
    { t: 1, ...head, dir: 'in', batch: [{ k: 'invoke', id: 1, cmd: 'upper', args: { text: { $str: 0 } }, bin: [{ lane: 0 }] }], uploads: [{ b64: b64(long) }] },
    { t: 2, ...head, dir: 'out', msg: { k: 'result', id: 1, ok: { $str: 0 } }, bin: [{ b64: b64(long.toUpperCase()) }] },
  ];
  mockIPC(fromRecording(records, { match: 'args' }));
  assert.equal(await invoke('upper', { text: long }), long.toUpperCase());
  clearMocks();
  // A string that begins with U+FEFF keeps it, in the arguments matched and in the answer.
  const marked = '\ufeff' + long;
  const withMark = records.map((r) => (r.dir === 'in' ? { ...r, uploads: [{ b64: b64(marked) }] }
    : r.dir === 'out' ? { ...r, bin: [{ b64: b64(marked) }] } : r));
  mockIPC(fromRecording(withMark, { match: 'args' }));
  assert.equal(await invoke('upper', { text: marked }), marked);
  clearMocks();
  // A string the recording did not keep is reported, not answered with a placeholder.
  records[2] = { ...records[2], bin: [{ n: 70006 }] };
  mockIPC(fromRecording(records));
  const e = await rejection(invoke('upper', { text: long }));
  assert.equal(e.code, 'recording.incomplete');
  assert.match(e.message, /a string of 70006 bytes was not recorded/);
});
