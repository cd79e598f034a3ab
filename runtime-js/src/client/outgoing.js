// The page client's outgoing side: the queue of serialized messages, one batch per microtask,
// the host's size limit (splitting a batch under it), and posting through QWebChannel, or
// handing the batch to the bulk lane (client/lane.js) when it is large.

  // Outgoing messages, already serialized. `hello` goes in first so it heads the first batch;
  // everything queued before the channel connects is sent with it.
  let queue = ['{"k":"hello","v":' + VERSION + '}'];
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

  // Empties the queue (nothing will be sent); returns what its parts stood for.
  function dropQueue() {
    const metas = queueMeta;
    queue = [];
    queueMeta = [];
    queueBin = [];
    return metas;
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
    const parts = queue;
    const metas = queueMeta;
    const bins = queueBin;
    queue = [];
    queueMeta = [];
    queueBin = [];
    if (laneBacklog) {
      // The lane is opening: everything waits behind what is already waiting for it.
      laneBacklog.push([parts, metas, bins]);
      return;
    }
    send(parts, metas, bins);
  }

  function send(parts, metas, bins) {
    if (wantsLane(parts, bins)) {
      if (laneState === 'open') {
        // Batches stay under the host's limit on the lane too.
        const budget = Math.max(1, Math.floor((maxBatch - 2) / 3));
        let start = 0;
        while (start < parts.length) {
          let end = start + 1;
          let size = parts[start].length;
          while (end < parts.length && size + 1 + parts[end].length <= budget) size += 1 + parts[end++].length;
          if (start === 0 && end === parts.length) sendLane(parts, metas, bins);
          else sendLane(parts.slice(start, end), metas.slice(start, end), bins.slice(start, end));
          start = end;
        }
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
      parts[i] = withBin(parts[i], b.map((a) => '{"b64":"' + base64(a) + '"}'));
      if (tooLarge(parts[i])) {
        failPart(metas[i], new IpcError('limit.exceeded', 'the message with its bytes is larger than ' +
          'the app accepts through QWebChannel (' + maxBatch + ' bytes) and the bulk lane is unavailable'));
        parts[i] = null;
      }
    }
    // Usually one batch; more only when the parts would pass the host's size limit (counted
    // pessimistically, three bytes per UTF-16 unit, so no exact count is needed).
    const budget = Math.max(1, Math.floor((maxBatch - 2) / 3));
    const live = [];
    const liveMetas = [];
    for (let i = 0; i < parts.length; i++) {
      if (parts[i] === null) continue;
      live.push(parts[i]);
      liveMetas.push(metas[i]);
    }
    let start = 0;
    while (start < live.length) {
      let end = start + 1;
      let size = live[start].length;
      while (end < live.length && size + 1 + live[end].length <= budget) size += 1 + live[end++].length;
      post(live, liveMetas, start, end);
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

  function post(parts, metas, start, end) {
    const text = '[' + (start === 0 && end === parts.length ? parts : parts.slice(start, end)).join(',') + ']';
    let failure = null;
    try {
      bridge.post(SECRET, text);
    } catch (e) {
      // Nothing of this batch reached the host: fail its calls rather than leave them hanging.
      console.error('myapp: post() failed:', e);
      failure = new IpcError('bridge.unavailable', 'the message could not be sent: ' + errorText(e));
    }
    for (let i = start; i < end; i++) {
      const m = metas[i];
      if (m === undefined) continue;
      if (typeof m === 'number') {
        if (failure) {
          const p = take(m);
          if (p) p[1](failure);
        }
      } else if (failure) {
        m[1](failure);
      } else {
        m[0]();
      }
    }
  }
