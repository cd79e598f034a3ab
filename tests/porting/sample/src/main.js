// A frontend written for Tauri v2 against @tauri-apps/api, as it would be in a Tauri app; only
// its imports are mapped to myapp (the import map of index.html, or the Vite alias of the vite-ts
// template when bundled). It tries each feature and writes what happened into #results, which
// the browser-level test (tests/porting/tests/sample.test.mjs) reads.
import { invoke, Channel, isTauri } from '@tauri-apps/api/core';
import { listen, once, emit, emitTo, TauriEvent } from '@tauri-apps/api/event';
import { getCurrentWindow, LogicalSize } from '@tauri-apps/api/window';
import { getCurrentWebviewWindow } from '@tauri-apps/api/webviewWindow';
import { appDataDir, join } from '@tauri-apps/api/path';

const results = {};

async function check(name, run) {
  try {
    const detail = await run();
    results[name] = { ok: true, detail };
  } catch (e) {
    results[name] = { ok: false, detail: e && e.message ? `${e.code || e.name}: ${e.message}` : String(e) };
  }
}

function expect(condition, what) {
  if (!condition) throw new Error(what);
}

// Resolves with what `handler` collected once `done` says so, or rejects after `ms`.
function collect(ms, start) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing after ${ms} ms`)), ms);
    start((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

async function main() {
  await check('invoke', async () => {
    const greeting = await invoke('greet', { name: 'Ada' });
    expect(greeting === 'Hello, Ada! You have been greeted from C++.', `greet answered ${JSON.stringify(greeting)}`);
    const sum = await invoke('add_numbers', { firstNumber: 2, secondNumber: 40 });
    expect(sum === 42, `add_numbers answered ${sum}`);
    return greeting;
  });

  await check('errors', async () => {
    try {
      await invoke('divide', { a: 1, b: 0 });
    } catch (e) {
      expect(String(e.message ?? e).includes('division by zero'), `divide failed with ${String(e)}`);
      return 'rejected';
    }
    throw new Error('divide by zero resolved');
  });

  // A command failing with a string: Tauri rejects the promise with that string itself.
  await check('errors as values', async () => {
    try {
      await invoke('divide', { a: 1, b: 0 });
    } catch (e) {
      expect(e === 'division by zero', `rejected with ${typeof e} ${String(e)}, not the string itself`);
      return e;
    }
    throw new Error('divide by zero resolved');
  });

  await check('channels', async () => {
    const seen = await collect(5000, (done) => {
      const events = [];
      const onEvent = new Channel();
      onEvent.onmessage = (message) => {
        events.push(message.event);
        if (message.event === 'finished') done(events);
      };
      invoke('download', { url: 'https://example.com/file.zip', onEvent }).catch((e) => done([String(e)]));
    });
    expect(seen.join(',') === 'started,progress,progress,progress,finished', `the channel delivered ${seen.join(',')}`);
    return seen.length;
  });

  await check('events', async () => {
    const ticks = [];
    const unlisten = await listen('tick', (event) => ticks.push(event.payload));
    await invoke('start_ticks', { count: 3 });
    await collect(3000, (done) => {
      const wait = () => (ticks.length >= 3 ? done() : setTimeout(wait, 10));
      wait();
    });
    expect(ticks.join(',') === '0,1,2', `ticks ${ticks.join(',')}`);
    return ticks.length;
  });

  await check('once', async () => {
    let calls = 0;
    await once('ready-once', () => { calls += 1; });
    await invoke('emit_twice', { event: 'ready-once' });
    await new Promise((r) => setTimeout(r, 200));
    expect(calls === 1, `once heard ${calls} events`);
    return calls;
  });

  await check('unlisten', async () => {
    let heard = 0;
    const unlisten = await listen('tick', () => { heard += 1; });
    unlisten();
    await invoke('start_ticks', { count: 2 });
    await new Promise((r) => setTimeout(r, 200));
    expect(heard === 0, `heard ${heard} events after unlisten`);
    return heard;
  });

  await check('emit', async () => {
    const pong = collect(3000, (done) => { listen('pong', (event) => done(event.payload)); });
    await emit('ping', { n: 7 });
    const payload = await pong;
    expect(payload.n === 7, `pong carried ${JSON.stringify(payload)}`);
    return payload.n;
  });

  await check('emitTo', async () => {
    const label = getCurrentWindow().label;
    const byLabel = collect(3000, (done) => { listen('to-me', (event) => done(event.payload)); });
    await emitTo(label, 'to-me', 'by label');
    expect((await byLabel) === 'by label', 'emitTo(label) did not arrive');
    const byTarget = collect(3000, (done) => { listen('to-me-too', (event) => done(event.payload)); });
    await emitTo({ kind: 'WebviewWindow', label }, 'to-me-too', 'by target');
    expect((await byTarget) === 'by target', 'emitTo({kind, label}) did not arrive');
    return label;
  });

  await check('window', async () => {
    const win = getCurrentWindow();
    expect(win.label === 'main' && getCurrentWebviewWindow().label === 'main', `labels ${win.label}`);
    await win.setTitle('Ported');
    expect((await win.title()) === 'Ported', 'setTitle did not stick');
    await win.setSize(new LogicalSize(640, 480));
    expect(typeof TauriEvent.WINDOW_RESIZED === 'string', 'TauriEvent has no WINDOW_RESIZED');
    return isTauri();
  });

  await check('path', async () => {
    const file = await join(await appDataDir(), 'notes.txt');
    expect(file.startsWith('/') && file.endsWith('/org.myapp.tests.porting/notes.txt'), file);
    return file;
  });

  // A raw request body with headers: Tauri hands the command the bytes and the headers.
  await check('raw bodies with headers', async () => {
    const answer = await invoke('upload', new Uint8Array([1, 2, 3, 4]), { headers: { 'X-File-Name': 'a.bin' } });
    expect(answer === 'a.bin: 4 bytes', `upload answered ${JSON.stringify(answer)}`);
    return answer;
  });

  const out = document.getElementById('results');
  out.textContent = JSON.stringify(results, null, 2);
  out.dataset.done = 'true';
}

main();
