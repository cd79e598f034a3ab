// Loads the page client (the parts runtime-js/src/client.list names) into a fresh vm context
// with a fake Qt web channel. Not a test file itself (its name matches none of node --test's
// patterns).
import vm from 'node:vm';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SRC = new URL('../../runtime-js/src/', import.meta.url);
export const CLIENT_LIST = fileURLToPath(new URL('client.list', SRC));
/** The client's parts, paths relative to runtime-js/src, in order (lines starting with # are comments). */
export const CLIENT_PARTS = readFileSync(CLIENT_LIST, 'utf8').split('\n').filter((line) => /^[^#]/.test(line));
/**
 * The client as the host injects it: its parts joined in the list's order, as the embed step in
 * framework/runtime/CMakeLists.txt joins them.
 */
export const CLIENT_SOURCE = CLIENT_PARTS.map((part) => readFileSync(new URL(part, SRC), 'utf8')).join('');
const SCRIPT = new vm.Script(CLIENT_SOURCE, { filename: CLIENT_LIST });

/** Resolves after every microtask queued so far (and those they queue) has run. */
export const macrotask = () => new Promise((r) => setTimeout(r, 0));

/** Copies a value from the vm realm into this one, so deepEqual can compare it. */
export const plain = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/**
 * @param {object} o
 * @param {boolean} [o.qt=true]          expose qt.webChannelTransport and QWebChannel
 * @param {boolean} [o.autoConnect=true] connect from a setTimeout(0); otherwise call connect()
 * @param {object|null} [o.objects]      what the channel publishes (default: {myapp: bridge})
 * @param {object} [o.web]               extra page globals (XMLHttpRequest, WebSocket fakes)
 */
export function load({ qt = true, autoConnect = true, objects, secret, web = {} } = {}) {
  const posts = [];            // raw batches, as passed to post()
  const secrets = [];          // the secret passed with each of them
  const logs = { error: [], warn: [], log: [], info: [] };
  const timers = [];           // setTimeout calls made by the client itself
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

  const record = (kind) => (...args) => logs[kind].push(args.map(String).join(' '));
  const globals = {
    ...web,
    btoa,
    atob,
    TextEncoder,
    queueMicrotask,
    setTimeout: (...a) => { timers.push(a); return setTimeout(...a); },
    console: { error: record('error'), warn: record('warn'), log: record('log'), info: record('info') },
  };

  const channel = { objects: objects === undefined ? { myapp: bridge } : objects };
  const connect = () => {
    if (!channelCallback) throw new Error('QWebChannel was never constructed');
    channelCallback(channel);
    resolveConnected();
  };

  if (qt) {
    const transport = { send() {} };
    globals.qt = { webChannelTransport: transport };
    globals.QWebChannel = function QWebChannel(t, cb) {
      if (!new.target) throw new Error('QWebChannel must be called with new');
      if (t !== transport) throw new Error('wrong transport');
      channelCallback = cb;
      if (autoConnect) setTimeout(connect, 0);
    };
  }

  const context = vm.createContext(globals);
  if (secret === undefined) {
    SCRIPT.runInContext(context);
  } else {
    // As the host injects it: wrapped in a function that passes the page's secret.
    new vm.Script('(function(__myapp_secret){\n' + CLIENT_SOURCE + '\n})(' + JSON.stringify(secret) + ');',
      { filename: CLIENT_LIST }).runInContext(context);
  }

  return {
    context,
    api: context.__MYAPP__,
    bridge,
    posts,
    secrets,
    logs,
    timers,
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
  };
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
  h.deliver([{ k: 'welcome', v: 1, label: 'main', ...extra }]);
  await macrotask();
  const i = h.posts.indexOf('[{"k":"ready"}]');
  if (i < 0) throw new Error('the client did not answer the welcome with ready');
  h.posts.splice(i, 1);
  h.secrets.splice(i, 1);
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
