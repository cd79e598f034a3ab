// The page client's outgoing side: the queue of serialized messages, one batch per microtask,
// handed to the transport's `send` (client/transport.js, or client/relay.js when an isolation
// hook stands between the page and the transport), and the settling of what was sent.

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

  function push(part, meta, bin) {
    enqueue(part, meta, bin);
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

  // One flush per microtask: everything pushed until it runs travels in the same batch.
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
