// The transport: a batch posted through QWebChannel, with its buffers inline as base64, or
// handed to the bulk lane (client/lane.js) when it is large; batches split under the host's
// size limit. It runs where the web channel is: in the page's world, or in the isolation world,
// each defining the `failPart` a lost message is reported through (client/outgoing.js,
// client/isolation.js).

  function send(parts, metas, bins) {
    if (laneBacklog) {
      // The lane is opening: everything waits behind what is already waiting for it.
      laneBacklog.push([parts, metas, bins]);
      return;
    }
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
