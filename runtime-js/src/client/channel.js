// The page client's channels: Channel, the frames C++ streams into one (in order, whatever
// order they arrive in), the credit the page grants back, and the end of a channel.

  let nextChannelId = 1;
  const channels = new Map(); // channel id -> channel state (see Channel)
  // Channels carried by each pending call (only calls that carry any), and the ids of channels
  // given up locally (their call was cancelled, or failed before its handler ran) whose late
  // frames and end are dropped without a warning. Bounded like `cancelled`.
  const callChannels = new Map();
  const abandoned = new Set();
  let creditDue = [];         // channel states with credit to grant in the next batch

  class Channel {
    #state;
    constructor(onmessage) {
      if (onmessage != null && typeof onmessage !== 'function')
        throw new IpcError('args.invalid', 'new Channel(): onmessage must be a function, got ' + describe(onmessage));
      this.onmessage = onmessage || null;
      this.onclose = null;
      // next: index of the next frame to deliver; buf: frames that arrived early, by index;
      // end: frame count from chan_end, -1 before it; credit: consumed frames not yet granted.
      const s = { id: nextChannelId++, ch: this, next: 0, buf: null, end: -1, credit: 0,
        warned: false, done: false, closed: null, resolve: null };
      s.closed = new Promise((r) => { s.resolve = r; });
      this.#state = s;
      channels.set(s.id, s);
    }
    get id() { return this.#state.id; }
    get closed() { return this.#state.closed; }
    toJSON() {
      if (serializing) serializing.push(this.#state);
      return { $channel: this.#state.id };
    }
  }

  // The call that carried these channels will not feed them: it was cancelled, or it failed
  // before its handler ran. Channels that already got something are left to their own end.
  function abandonChannels(id) {
    const carried = callChannels.get(id);
    if (!carried) return;
    callChannels.delete(id);
    for (const s of carried) {
      if (s.done || s.next > 0 || s.end >= 0) continue;
      abandoned.add(s.id);
      if (abandoned.size > CANCELLED_MAX) abandoned.delete(abandoned.values().next().value);
      closeChannel(s);
    }
  }

  // The live channel a frame (`what`) or chan_end (`last`) is for, or null when there is none:
  // logged, unless the page abandoned that channel, which chan_end then forgets.
  function channelOf(m, what, last) {
    const s = channels.get(m.ch);
    if (s) return s;
    if (!(last ? abandoned.delete(m.ch) : abandoned.has(m.ch))) {
      console.warn('myapp: ignoring ' + what + ' for unknown channel', m.ch);
    }
    return null;
  }

  function onFrame(m) {
    const s = channelOf(m, 'a frame', false);
    if (!s) return;
    const i = m.i;
    if (!Number.isInteger(i) || i < s.next || (s.buf && s.buf.has(i)) || (s.end >= 0 && i >= s.end)) {
      console.warn('myapp: ignoring frame ' + i + ' of channel ' + s.id + ': duplicate or out of range');
      return;
    }
    if (i !== s.next) {
      (s.buf || (s.buf = new Map())).set(i, m.data);
      return;
    }
    deliverFrame(s, m.data);
    if (s.buf) {
      while (s.buf.has(s.next)) {
        const data = s.buf.get(s.next);
        s.buf.delete(s.next);
        deliverFrame(s, data);
      }
      if (s.buf.size === 0) s.buf = null;
    }
    if (s.end >= 0 && s.next >= s.end) closeChannel(s);
  }

  function deliverFrame(s, data) {
    s.next++;
    const f = s.ch.onmessage;
    if (typeof f !== 'function') {
      if (!s.warned) {
        s.warned = true;
        console.warn('myapp: channel ' + s.id + ' has no onmessage: dropping its frames');
      }
      grant(s);
      return;
    }
    try {
      const r = f.call(s.ch, data);
      if (r && typeof r.then === 'function') {
        Promise.resolve(r).then(() => grant(s), (e) => {
          console.error('myapp: onmessage of channel ' + s.id + ' rejected:', e);
          grant(s);
        });
        return;
      }
    } catch (e) {
      console.error('myapp: onmessage of channel ' + s.id + ' threw:', e);
    }
    grant(s);
  }

  function grant(s) {
    if (s.done) return;
    if (s.credit++ === 0) {
      creditDue.push(s);
      schedule();
    }
  }

  // Queues the credit granted since the last batch (flush calls it).
  function queueCredits() {
    for (const s of creditDue) {
      // A closed channel no longer exists on the host: crediting it would be an error there.
      if (!s.done) enqueue(creditMsg(s.id, s.credit));
      s.credit = 0;
    }
    creditDue = [];
  }

  function onChannelEnd(m) {
    const s = channelOf(m, 'chan_end', true);
    if (!s) return;
    if (s.end >= 0 || !Number.isInteger(m.i) || m.i < s.next) {
      console.warn('myapp: ignoring chan_end of channel ' + s.id + ' with frame count', m.i);
      return;
    }
    s.end = m.i;
    if (s.next >= s.end) closeChannel(s);
  }

  function closeChannel(s) {
    s.done = true;
    s.buf = null;
    channels.delete(s.id);
    const f = s.ch.onclose;
    if (typeof f === 'function') {
      try {
        f.call(s.ch);
      } catch (e) {
        console.error('myapp: onclose of channel ' + s.id + ' threw:', e);
      }
    }
    s.resolve();
  }
