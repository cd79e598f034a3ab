// Loads the page client (the parts runtime-js/src/client.list names) into a fresh vm context
// with a fake Qt web channel, or, for an app with an isolation hook, into two contexts standing
// for the page's world and the isolation world. Not a test file itself (its name matches none of
// node --test's patterns).
import vm from 'node:vm';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SRC = new URL('../../runtime-js/src/', import.meta.url);
export const CLIENT_LIST = fileURLToPath(new URL('client.list', SRC));

/** Each form of the client ([page], [relayed], [isolation]): its parts, relative to runtime-js/src. */
export const CLIENT_FORMS = (() => {
  const forms = {};
  let form = null;
  for (const line of readFileSync(CLIENT_LIST, 'utf8').split('\n')) {
    if (!/^[^#]/.test(line)) continue;
    const section = /^\[(\w+)\]$/.exec(line);
    if (section) forms[(form = section[1])] = [];
    else forms[form].push(line);
  }
  return forms;
})();
/** The client's parts in the page's world, in order. */
export const CLIENT_PARTS = CLIENT_FORMS.page;
const joined = (parts) => parts.map((part) => readFileSync(new URL(part, SRC), 'utf8')).join('');
/**
 * The client as the host injects it: its parts joined in the list's order, as the embed step in
 * framework/runtime/CMakeLists.txt joins them.
 */
export const CLIENT_SOURCE = joined(CLIENT_PARTS);
export const RELAYED_SOURCE = joined(CLIENT_FORMS.relayed);
export const ISOLATION_SOURCE = joined(CLIENT_FORMS.isolation);
const SCRIPT = new vm.Script(CLIENT_SOURCE, { filename: CLIENT_LIST });

/** The client wrapped as the host wraps it: in a function receiving the secret, label and namespaces. */
export function wrapped(source, { secret = '', label = 'main', namespaces = 'null' } = {}) {
  return '(function(__myapp_secret, __myapp_label, __myapp_namespaces){\n' + source + '\n})(' +
    JSON.stringify(secret) + ', ' + JSON.stringify(label) + ', ' + namespaces + ');';
}

/** Resolves after every microtask queued so far (and those they queue) has run. */
export const macrotask = () => new Promise((r) => setTimeout(r, 0));

/** Copies a value from the vm realm into this one, so deepEqual can compare it. */
export const plain = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

// A fake `myapp` QWebChannel object and Qt's transport: what the client posts, and delivering to
// it as C++ would.
function fakeChannel({ autoConnect, objects }) {
  const posts = [];            // raw batches, as passed to post()
  const secrets = [];          // the secret passed with each of them
  let listener = null;
  let channelCallback = null;
  let resolveConnected;
  const connected = new Promise((r) => { resolveConnected = r; });
  const bridge = {
    post(secret, text) {
      if (typeof secret !== 'string' || typeof text !== 'string') {
        throw new TypeError('post() takes the page secret and a string');
      }
      secrets.push(secret);
      posts.push(text);
    },
    deliver: {
      connect(fn) {
        if (listener) throw new Error('deliver connected twice');
        listener = fn;
      },
    },
  };
  const channel = { objects: objects === undefined ? { myapp: bridge } : objects };
  const connect = () => {
    if (!channelCallback) throw new Error('QWebChannel was never constructed');
    channelCallback(channel);
    resolveConnected();
  };
  const transport = { send() {} };
  const globals = {
    qt: { webChannelTransport: transport },
    QWebChannel: function QWebChannel(t, cb) {
      if (!new.target) throw new Error('QWebChannel must be called with new');
      if (t !== transport) throw new Error('wrong transport');
      channelCallback = cb;
      if (autoConnect) setTimeout(connect, 0);
    },
  };
  return {
    globals,
    side: {
      bridge,
      posts,
      secrets,
      connect,
      connected,
      /** Every batch sent so far, parsed in this realm. */
      batches: () => posts.map((p) => JSON.parse(p)),
      /** Every message sent so far, flattened. */
      messages: () => posts.flatMap((p) => JSON.parse(p)),
      /** Delivers a batch from "C++": an array of messages, or raw text. */
      deliver(batch) {
        if (!listener) throw new Error('nothing connected to deliver');
        listener(typeof batch === 'string' ? batch : JSON.stringify(batch));
      },
    },
  };
}

// The globals every world gets: console recorded into `logs`, timers recorded into `timers`.
function pageGlobals(logs, timers, web) {
  const record = (kind) => (...args) => logs[kind].push(args.map(String).join(' '));
  return {
    ...web,
    btoa,
    atob,
    TextEncoder,
    TextDecoder,
    queueMicrotask,
    setTimeout: (...a) => { timers.push(a); return setTimeout(...a); },
    console: { error: record('error'), warn: record('warn'), log: record('log'), info: record('info') },
  };
}

/**
 * @param {object} o
 * @param {boolean} [o.qt=true]          expose qt.webChannelTransport and QWebChannel
 * @param {boolean} [o.autoConnect=true] connect from a setTimeout(0); otherwise call connect()
 * @param {object|null} [o.objects]      what the channel publishes (default: {myapp: bridge})
 * @param {object} [o.web]               extra page globals (XMLHttpRequest, WebSocket fakes)
 * @param {string} [o.secret]            wrap the client as the host does, with this secret
 * @param {string} [o.namespaces]        with `secret`: the namespaces function's source
 */
export function load({ qt = true, autoConnect = true, objects, secret, namespaces, web = {} } = {}) {
  const logs = { error: [], warn: [], log: [], info: [] };
  const timers = [];           // setTimeout calls made by the client itself
  const fake = fakeChannel({ autoConnect, objects });
  const globals = pageGlobals(logs, timers, web);
  if (qt) Object.assign(globals, fake.globals);
  const context = vm.createContext(globals);
  if (secret === undefined) {
    SCRIPT.runInContext(context);
  } else {
    new vm.Script(wrapped(CLIENT_SOURCE, { secret, namespaces }), { filename: CLIENT_LIST }).runInContext(context);
  }
  return { context, api: context.__MYAPP__, logs, timers, ...fake.side };
}

/** load() and wait until the channel has connected and the first batch went out. */
export async function loadConnected(opts) {
  const h = load(opts);
  await h.connected;
  return h;
}

/**
 * loadConnected(), then the host's welcome (with `extra` fields): the client ignores everything
 * before its welcome. The `ready` batch the welcome makes the client send is taken out of
 * `posts`, so they hold the hello and then only what the test causes.
 */
export async function loadWelcomed(opts, extra = {}) {
  const h = await loadConnected(opts);
  await welcome(h, extra);
  return h;
}

async function welcome(h, extra) {
  h.deliver([{ k: 'welcome', v: 1, label: 'main', ...extra }]);
  await macrotask();
  const i = h.posts.indexOf('[{"k":"ready"}]');
  if (i < 0) throw new Error('the client did not answer the welcome with ready');
  h.posts.splice(i, 1);
  h.secrets.splice(i, 1);
}

/**
 * Installs the real client in this realm, as the webview injects it into a page (so that ES
 * modules imported afterwards find `globalThis.__MYAPP__`), over a fake web channel that connects
 * at once; resolves once it has been welcomed.
 */
export async function installHere({ label = 'main', namespaces = 'null' } = {}) {
  const fake = fakeChannel({ autoConnect: true });
  Object.assign(globalThis, fake.globals);
  vm.runInThisContext(wrapped(CLIENT_SOURCE, { label, namespaces }), { filename: CLIENT_LIST });
  const h = { api: globalThis.__MYAPP__, ...fake.side };
  await h.connected;
  await welcome(h, { label });
  return h;
}

// Events on the document of two worlds: a listener of either world hears what either
// dispatches, the `detail` copied (structuredClone) when it crosses from one world to the other,
// as Chromium copies it.
function sharedDocument() {
  const entries = []; // [world, type, fn]
  return (world) => {
    class EventTarget {
      addEventListener(type, fn) { entries.push([world, type, fn]); }
      dispatchEvent(ev) {
        for (const [w, type, fn] of entries.slice()) {
          if (type === ev.type) fn({ type, detail: w === world ? ev.detail : structuredClone(ev.detail) });
        }
        return true;
      }
    }
    class CustomEvent {
      constructor(type, init) {
        this.type = type;
        this.detail = init ? init.detail : null;
      }
    }
    return { EventTarget, CustomEvent, document: new EventTarget() };
  };
}

/**
 * The client of an app with an isolation hook: the relayed client in a page world, and the
 * isolation world with the fake web channel and `hook` (a function's source, defined in that
 * world as __MYAPP_ISOLATION_HOOK__; omit it to define none). Returns the page's side (`api`,
 * `context`, `logs`), the isolation world's (`isolation`, `isolationLogs`) and the channel's
 * (`posts`, `deliver`, ...).
 */
export function loadIsolated({ hook, autoConnect = true, secret = 's3cret', web = {} } = {}) {
  const worlds = sharedDocument();
  const logs = { error: [], warn: [], log: [], info: [] };
  const isolationLogs = { error: [], warn: [], log: [], info: [] };
  const timers = [];
  const fake = fakeChannel({ autoConnect });
  const page = vm.createContext({ ...pageGlobals(logs, timers, web), ...worlds('page') });
  const isolation = vm.createContext({ ...pageGlobals(isolationLogs, timers, web), ...worlds('isolation'), ...fake.globals, structuredClone });
  isolation.globalThis = isolation;
  if (hook !== undefined) vm.runInContext('globalThis.__MYAPP_ISOLATION_HOOK__ = ' + hook + ';', isolation);
  vm.runInContext(wrapped(RELAYED_SOURCE), page, { filename: CLIENT_LIST });
  vm.runInContext(wrapped(ISOLATION_SOURCE, { secret }), isolation, { filename: CLIENT_LIST });
  return { context: page, api: page.__MYAPP__, logs, isolation, isolationLogs, timers, ...fake.side };
}

/** loadIsolated(), connected and welcomed; `posts` then hold the hello and what the test causes. */
export async function loadIsolatedWelcomed(opts, extra = {}) {
  const h = loadIsolated(opts);
  await h.connected;
  await macrotask();
  await welcome(h, extra);
  return h;
}

/** Asserts that `promise` rejects with an IpcError of `code`; returns the error. */
export async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection, got a resolution');
}
