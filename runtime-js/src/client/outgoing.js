// The page client's outgoing side: the queue of serialized messages, one batch per microtask
// (or per WAVE_PIECE messages, for a long run), handed to the transport's `send`
// (client/transport.js, or client/relay.js when an isolation hook stands between the page and
// the transport), and the settling of what was sent.

  // Outgoing messages, already serialized. `hello` goes in first so it heads the first batch;
  // everything queued before the channel connects is sent with it.
  let queue = [helloMsg()];
  // What each part of `queue` stands for, at the same index: an invoke's id (to fail it if
  // posting throws), an emit's [resolve, reject] (settled by the post), or undefined.
  let queueMeta = [undefined];
  // The binary attachments of each part (Uint8Arrays its JSON refers to as {"$bytes": i}), or
  // undefined.
  let queueBin = [undefined];
  let flushScheduled = false;

  function enqueue(part, meta, bin) {
    queue.push(part);
    queueMeta.push(meta);
    queueBin.push(bin);
  }

  // A long run of calls made in one go (a loop of invokes) leaves in pieces of this many
  // messages while the page is still making the rest, so that the host starts on the first
  // ones instead of waiting for the whole run.
  const WAVE_PIECE = 128;

  function push(part, meta, bin) {
    enqueue(part, meta, bin);
    if (queue.length >= WAVE_PIECE && bridge) {
      flush();
      return;
    }
    schedule();
  }

  // Empties the queue; returns what it held, [parts, metas, bins].
  function takeQueue() {
    const taken = [queue, queueMeta, queueBin];
    queue = [];
    queueMeta = [];
    queueBin = [];
    return taken;
  }

  // One flush per microtask: everything pushed until it runs travels in the same batch (but
  // for the pieces `push` sends on its own).
  // Before the channel connects nothing is scheduled; connecting flushes the queue.
  function schedule() {
    if (bridge && !flushScheduled) {
      flushScheduled = true;
      queueMicrotask(flush);
    }
  }

  function flush() {
    flushScheduled = false;
    if (!bridge) return;
    queueCredits();
    if (queue.length === 0) return;
    send(...takeQueue());
  }

  // A message that will not reach the host: its call or emit fails with `error` (the transport
  // reports through this).
  function failPart(meta, error) {
    if (typeof meta === 'number') {
      const p = take(meta);
      if (p) p[1](error);
    } else if (Array.isArray(meta)) {
      meta[1](error);
    }
  }
