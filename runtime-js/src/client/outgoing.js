// The page client's outgoing side: the queue of serialized messages, one batch per microtask,
// the host's size limit (splitting a batch under it), and posting through QWebChannel, or
// handing the batch to the bulk lane (client/lane.js) when it is large.

  // Outgoing messages, already serialized. `hello` goes in first so it heads the first batch;
  // everything queued before the channel connects is sent with it.
  let queue = [helloMsg()];
  // What each part of `queue` stands for, at the same index: an invoke's id (to fail it if
  // posting throws), an emit's [resolve, reject] (settled by the post), or undefined.
  let queueMeta = [undefined];
  // The binary attachments of each part (Uint8Arrays its JSON refers to as {"$bytes": i}), or
  // undefined.
  let queueBin = [undefined];
  // The host's largest batch, in bytes of UTF-8; `welcome` says what it is.
  let maxBatch = 64 * 1024 * 1024;
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

  // True when one message alone is too large for a batch.
  function tooLarge(part) {
    return part.length * 3 + 2 > maxBatch && utf8Length(part) + 2 > maxBatch;
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
    const taken = takeQueue();
    if (laneBacklog) {
      // The lane is opening: everything waits behind what is already waiting for it.
      laneBacklog.push(taken);
      return;
    }
    send(...taken);
  }

  function send(parts, metas, bins) {
    if (wantsLane(parts, bins)) {
      if (laneState === 'open') {
        eachBatch(parts, metas, bins, sendLane); // batches stay under the host's limit on the lane too
      } else {
        laneBacklog = [[parts, metas, bins]];
        openLane();
      }
      return;
    }
    // Attachments ride inline, as base64.
    for (let i = 0; i < parts.length; i++) {
      const b = bins[i];
      if (!b) continue;
      parts[i] = withBin(parts[i], b);
      if (tooLarge(parts[i])) {
        failPart(metas[i], new IpcError('limit.exceeded', 'the message with its bytes is larger than ' +
          'the app accepts through QWebChannel (' + maxBatch + ' bytes) and the bulk lane is unavailable'));
        parts[i] = null;
      }
    }
    const live = [];
    const liveMetas = [];
    for (let i = 0; i < parts.length; i++) {
      if (parts[i] === null) continue;
      live.push(parts[i]);
      liveMetas.push(metas[i]);
    }
    eachBatch(live, liveMetas, null, post);
  }

  // Hands `parts` to `send(parts, metas, bins)` as one batch, or, when they would pass the host's
  // size limit, as several in order, each under it. The size is counted pessimistically, three
  // bytes per UTF-16 unit, so no exact count is needed. `bins` may be null.
  function eachBatch(parts, metas, bins, send) {
    const budget = Math.max(1, Math.floor((maxBatch - 2) / 3));
    let start = 0;
    while (start < parts.length) {
      let end = start + 1;
      let size = parts[start].length;
      while (end < parts.length && size + 1 + parts[end].length <= budget) size += 1 + parts[end++].length;
      if (start === 0 && end === parts.length) send(parts, metas, bins);
      else send(parts.slice(start, end), metas.slice(start, end), bins && bins.slice(start, end));
      start = end;
    }
  }

  function failPart(meta, error) {
    if (typeof meta === 'number') {
      const p = take(meta);
      if (p) p[1](error);
    } else if (Array.isArray(meta)) {
      meta[1](error);
    }
  }

  // After a batch was handed over: its emits resolve; when it could not be (`failure`), its
  // calls and emits fail with that error rather than hang.
  function settle(metas, failure) {
    for (const m of metas) {
      if (failure) failPart(m, failure);
      else if (Array.isArray(m)) m[0]();
    }
  }

  // The error of the calls in a batch that could not be sent.
  function notSent(e) {
    return new IpcError('bridge.unavailable', 'the message could not be sent: ' + errorText(e));
  }

  function post(parts, metas) {
    const text = batchText(parts);
    let failure = null;
    try {
      bridge.post(SECRET, text);
    } catch (e) {
      console.error('myapp: post() failed:', e);
      failure = notSent(e);
    }
    settle(metas, failure);
  }
