// The page client's events: listen() and once(), emit() and emitTo(), and the delivery of the
// events C++ sends to this page's listeners.

  const listeners = new Map(); // event name -> array of {fn, once, dead}, replaced on change

  function addListener(where, event, handler, once) {
    if (unavailable) return Promise.reject(new IpcError('bridge.unavailable', unavailable));
    const bad = badName(where, event);
    if (bad) return bad;
    if (typeof handler !== 'function')
      return Promise.reject(new IpcError('args.invalid', where + ': handler must be a function, got ' + describe(handler)));
    if (welcomed && typeof deniedOps.listen === 'string') return Promise.reject(denied(where, 'listen'));
    const list = listeners.get(event);
    if (!list && listeners.size >= maxListens) {
      return Promise.reject(new IpcError('limit.exceeded', where + ': the page already listens to ' +
        listeners.size + ' event names, as many as the app allows; unlisten some first'));
    }
    const rec = { fn: handler, once, dead: false };
    if (list) {
      listeners.set(event, list.concat(rec));
    } else {
      listeners.set(event, [rec]);
      subscribe(event);
    }
    const unlisten = () => removeListener(event, rec);
    const sent = subscribing.get(event) || Promise.resolve();
    if (welcomed) return sent.then(() => unlisten);
    // Before the welcome the page does not know yet whether it may listen: the host refuses
    // the listen on its side, and here the listener goes and the promise rejects.
    return sent.then(() => ready).then(() => {
      if (typeof deniedOps.listen !== 'string') return unlisten;
      rec.dead = true;
      const rest = (listeners.get(event) || []).filter((r) => r !== rec);
      if (rest.length) listeners.set(event, rest); else listeners.delete(event);
      throw denied(where, 'listen');
    });
  }

  // The listen message of a name, and until it is sent, the promise its listeners wait for. When
  // it cannot be (or an isolation hook refuses it) the host will never send that name: its
  // listeners go, and their promises reject with why.
  const subscribing = new Map(); // event name -> promise that its listen message was sent
  function subscribe(event) {
    const sent = new Promise((resolve, reject) => push(listenMsg(event), [resolve, reject]));
    subscribing.set(event, sent);
    const done = () => { if (subscribing.get(event) === sent) subscribing.delete(event); };
    sent.then(done, () => {
      done();
      for (const r of listeners.get(event) || []) r.dead = true;
      listeners.delete(event);
    });
  }

  function denied(where, op) {
    return new IpcError('acl.denied', where + ': ' + deniedOps[op]);
  }

  function removeListener(event, rec) {
    if (rec.dead) return;
    rec.dead = true; // a dispatch already under way skips it
    const rest = listeners.get(event).filter((r) => r !== rec);
    if (rest.length) {
      listeners.set(event, rest);
    } else {
      listeners.delete(event);
      push(unlistenMsg(event));
    }
  }

  const listen = (event, handler) => addListener('listen()', event, handler, false);
  const once = (event, handler) => addListener('once()', event, handler, true);

  function sendEmit(where, event, payload, target) {
    if (unavailable) return Promise.reject(new IpcError('bridge.unavailable', unavailable));
    const bad = badName(where, event);
    if (bad) return bad;
    let part;
    try {
      part = emitMsg(event, payload, target);
    } catch (e) {
      return Promise.reject(new IpcError('args.invalid',
        where + ': the payload of ' + JSON.stringify(event) + ' cannot be serialized to JSON: ' + errorText(e)));
    }
    if (tooLarge(part)) {
      return Promise.reject(new IpcError('limit.exceeded',
        where + ': the event is larger than the app accepts (' + maxBatch + ' bytes)'));
    }
    const op = target === undefined ? 'emit' : 'emitTo';
    if (welcomed && typeof deniedOps[op] === 'string') return Promise.reject(denied(where, op));
    return new Promise((resolve, reject) => {
      // Sent before the welcome: settled once the welcome says whether it was allowed.
      const sent = welcomed ? resolve : () => ready.then(() => {
        if (typeof deniedOps[op] === 'string') reject(denied(where, op)); else resolve();
      }, reject);
      push(part, [sent, reject]);
    });
  }

  const emit = (event, payload) => sendEmit('emit()', event, payload);

  function emitTo(target, event, payload) {
    if (typeof target !== 'string' || target === '')
      return Promise.reject(new IpcError('args.invalid', 'emitTo(): target must be a non-empty string, got ' +
        (target === '' ? 'an empty string' : describe(target))));
    return sendEmit('emitTo()', event, payload, target);
  }

  // An `event` from the host: every listener of its name gets it.
  function onEvent(m) {
    if (typeof m.event !== 'string') {
      console.warn('myapp: ignoring an event without a name:', m.event);
      return;
    }
    const list = listeners.get(m.event);
    if (!list) return; // unlistened while the event was on its way
    const ev = { event: m.event, id: m.id, payload: m.payload };
    // `list` is never mutated, so handlers may listen and unlisten freely.
    for (const rec of list) {
      if (rec.dead) continue;
      if (rec.once) removeListener(m.event, rec);
      try {
        rec.fn(ev);
      } catch (e) {
        console.error('myapp: a listener of event ' + JSON.stringify(m.event) + ' threw:', e);
      }
    }
  }
