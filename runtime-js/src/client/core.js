// The page client's calls: IpcError, invoke() and its cancelling through an AbortSignal, the
// answers to calls, and openDevtools().

  class IpcError extends Error {
    constructor(code, message, data) {
      super(message);
      this.code = code;
      this.data = data;
    }
  }
  IpcError.prototype.name = 'IpcError';

  let nextId = 1;
  const pending = new Map(); // id -> [resolve, reject, signal?, cmd?]
  // One abort listener per signal, whatever the number of pending calls sharing it: adding
  // many listeners to one EventTarget is quadratic (each add looks for a duplicate).
  const aborts = new WeakMap(); // signal -> {ids: Set of pending ids, onAbort}
  // Ids cancelled by the page: an answer the host sent before it read the `cancel` is dropped
  // silently. Usually none comes, so the oldest are forgotten past a bound.
  const cancelled = new Set();
  const CANCELLED_MAX = 4096;
  // Error codes meaning the handler never ran, so nothing will feed the call's channels.
  const NOT_RUN = new Set(['command.not_found', 'args.invalid', 'protocol.invalid',
    'limit.exceeded', 'acl.denied']);

  function invoke(cmd, args = {}, options = {}) {
    if (unavailable) return Promise.reject(new IpcError('bridge.unavailable', unavailable));
    const problem = check(cmd, args, options);
    if (problem) return Promise.reject(new IpcError('args.invalid', 'invoke(): ' + problem));
    const signal = options.signal;
    if (signal && signal.aborted) return Promise.reject(abortError(cmd, signal));

    let part;
    const carried = [];
    const bin = [];
    try {
      // Serialize now, so a later mutation of `args` cannot change what is sent and a bad
      // value (BigInt, cycle, throwing toJSON) fails this call alone. Bytes are taken out of
      // the JSON (see invokeMsg); a later change to their contents is not protected.
      part = invokeMsg(nextId, cmd, args, headersObject(options.headers), carried, bin);
    } catch (e) {
      return Promise.reject(new IpcError('args.invalid',
        'invoke(' + JSON.stringify(cmd) + '): args cannot be serialized to JSON: ' + errorText(e)));
    }
    if (tooLarge(part, bin)) {
      return Promise.reject(new IpcError('limit.exceeded', 'invoke(' + JSON.stringify(cmd) +
        '): the message is larger than the app accepts (' + maxBatch + ' bytes)'));
    }
    const id = nextId++;
    if (carried.length) callChannels.set(id, carried);
    return new Promise((resolve, reject) => {
      if (!signal) {
        pending.set(id, [resolve, reject]);
      } else {
        pending.set(id, [resolve, reject, signal, cmd]);
        let w = aborts.get(signal);
        if (!w) {
          const ids = new Set();
          w = { ids, onAbort: () => { for (const i of Array.from(ids)) cancel(i); } };
          aborts.set(signal, w);
          signal.addEventListener('abort', w.onAbort);
        }
        w.ids.add(id);
      }
      push(part, id, bin.length ? bin : undefined);
    });
  }

  function cancel(id) {
    const p = take(id);
    if (!p) return;
    cancelled.add(id);
    if (cancelled.size > CANCELLED_MAX) cancelled.delete(cancelled.values().next().value);
    const cancelPart = cancelMsg(id);
    if (!cancelOnLane(id, cancelPart)) push(cancelPart);
    abandonChannels(id);
    p[1](abortError(p[3], p[2]));
  }

  function abortError(cmd, signal) {
    const r = signal.reason; // an Error from any realm, so no instanceof
    return new IpcError('cancelled', 'invoke(' + JSON.stringify(cmd) + ') was aborted' +
      (r !== null && typeof r === 'object' && typeof r.message === 'string' && r.message ? ': ' + r.message : ''));
  }

  // Removes a pending call, and its signal's listener if it was the last call using it.
  // Returns the call's entry, if it was pending.
  function take(id) {
    const p = pending.get(id);
    if (!p) return p;
    pending.delete(id);
    const signal = p[2];
    if (signal) {
      const w = aborts.get(signal);
      w.ids.delete(id);
      if (w.ids.size === 0) {
        aborts.delete(signal);
        if (typeof signal.removeEventListener === 'function') signal.removeEventListener('abort', w.onAbort);
      }
    }
    return p;
  }

  // A `result` or `error` from the host: settles its call.
  function onAnswer(m) {
    laneIds.delete(m.id);
    const p = take(m.id);
    if (m.k === 'error' && m.error && NOT_RUN.has(m.error.code)) {
      abandonChannels(m.id);
    } else {
      callChannels.delete(m.id);
    }
    if (!p) {
      if (!cancelled.delete(m.id)) console.warn('myapp: ignoring ' + m.k + ' for unknown id', m.id);
      return;
    }
    if (m.k === 'result') {
      p[0](m.ok);
    } else if ('value' in m) {
      // An error value (C++ `reject`, or a result<T, E>): the promise rejects with the value
      // itself, as a Tauri command's Err(e) does. Framework failures come as IpcError.
      p[1](m.value);
    } else {
      const e = m.error || {};
      p[1](new IpcError(String(e.code), String(e.message), e.data));
    }
  }

  // Opens Chromium's devtools for this window; refused (`devtools.disabled`) outside dev mode.
  const openDevtools = () => invoke('plugin:devtools|open');
