// The page client's bulk lane (docs/bytes.md): a loopback WebSocket, opened on first need, that
// carries the batches and buffers too large for QWebChannel, with their calls' cancels.

  // Where the lane is, from the welcome (a URL with this page load's secret in it; it lives
  // only in this closure). Without it everything travels through QWebChannel.
  let laneUrl = '';
  let laneJson = Infinity;   // batches larger than this (bytes of UTF-8) go over the lane
  let laneBytes = Infinity;  // buffers larger than this go over the lane
  let laneMax = Infinity;    // the lane's largest message
  let lane = null;           // the WebSocket once opened
  let laneState = 'none';    // none | connecting | open | failed
  let laneBacklog = null;    // batches waiting for the lane to open, in order
  const laneIds = new Set(); // invokes sent over the lane: their cancels follow the same way

  // The lane's address and thresholds, from the host's welcome.
  function laneWelcome(m) {
    if (typeof m.lane === 'string' && typeof WebSocket === 'function') {
      laneUrl = m.lane;
      textMin = TEXT_ATTACHMENT_MIN;
    }
    if (m.thresholds) {
      if (Number.isInteger(m.thresholds.laneJson)) laneJson = m.thresholds.laneJson;
      if (Number.isInteger(m.thresholds.laneBytes)) laneBytes = m.thresholds.laneBytes;
      if (Number.isInteger(m.thresholds.laneMax)) laneMax = m.thresholds.laneMax;
    }
  }

  // True when these parts should travel over the bulk lane.
  function wantsLane(parts, bins) {
    if (!laneUrl || laneState === 'failed') return false;
    let size = 0;
    for (let i = 0; i < parts.length; i++) {
      size += parts[i].length;
      const b = bins[i];
      if (b) for (const a of b) if (typeof a === 'string' || a.byteLength > laneBytes) return true;
    }
    // The threshold counts UTF-8 bytes, which are 1 to 3 per UTF-16 unit.
    if (size > laneJson) return true;
    if (size * 3 <= laneJson) return false;
    size = 0;
    for (const p of parts) size += utf8Length(p);
    return size > laneJson;
  }

  function openLane() {
    laneState = 'connecting';
    let ws;
    const giveUp = (why) => {
      if (laneState === 'failed') return;
      const was = laneState;
      laneState = 'failed';
      lane = null;
      textMin = Infinity;  // long strings stay inside the JSON text again
      console.warn('myapp: the bulk lane ' + (was === 'open' ? 'closed' : 'is unavailable') + ' (' + why +
        '); large data goes through QWebChannel, more slowly');
      // Calls whose arguments went over the lane may not have arrived whole: they fail rather
      // than wait for an answer that may never come.
      const lostIds = Array.from(laneIds);
      laneIds.clear();
      for (const id of lostIds) failPart(id, new IpcError('bridge.unavailable',
        'the bulk lane closed while the call was on it (' + why + ')'));
      drainBacklog();
    };
    try {
      ws = new WebSocket(laneUrl);
    } catch (e) {
      giveUp(errorText(e));
      return;
    }
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      lane = ws;
      laneState = 'open';
      drainBacklog();
    };
    ws.onerror = () => giveUp('connection error');
    ws.onclose = (e) => giveUp('code ' + e.code + (e.reason ? ': ' + e.reason : ''));
  }

  function drainBacklog() {
    const waiting = laneBacklog || [];
    laneBacklog = null;
    for (const [parts, metas, bins] of waiting) send(parts, metas, bins);
  }

  // Sends parts over the open lane: each large buffer as its own binary message, then the
  // batch, which refers to them by their order ({"lane": k}); small buffers ride inline.
  function sendLane(parts, metas, bins) {
    let k = 0;
    const text = [];
    // What the lane would refuse (and close for) fails here, with the reason.
    for (let i = 0; i < parts.length; i++) {
      const b = bins[i];
      const big = (b && b.find((a) => (typeof a === 'string' ? textLarger(a, laneMax) : a.byteLength > laneMax))) ||
        textLarger(parts[i], laneMax);
      if (big) {
        failPart(metas[i], new IpcError('limit.exceeded', 'the message or one of its buffers is larger than the ' +
          'app accepts (' + laneMax + ' bytes)'));
        parts = parts.slice(); metas = metas.slice(); bins = bins.slice();
        parts.splice(i, 1); metas.splice(i, 1); bins.splice(i, 1);
        i--;
      }
    }
    if (parts.length === 0) return;
    try {
      for (let i = 0; i < parts.length; i++) {
        let part = parts[i];
        const b = bins[i];
        if (b) {
          part = withBin(part, b, (a) => {
            if (typeof a === 'string') {
              lane.send('u');
              lane.send(encodeText(a));
              return k++;
            }
            if (a.byteLength <= laneBytes) return -1;
            lane.send('u');
            lane.send(a);
            return k++;
          });
        }
        const m = metas[i];
        if (typeof m === 'number') laneIds.add(m);
        text.push(part);
      }
      lane.send('j');
      lane.send(encodeBatch(text));
    } catch (e) {
      console.error('myapp: sending over the bulk lane failed:', e);
      settle(metas, notSent(e));
      return;
    }
    settle(metas, null);
  }

  // A batch's UTF-8 text, `[part,part,...]`, written part by part into a buffer kept between
  // batches (up to LANE_SCRATCH_KEEP bytes): no joined string, no fresh buffer to fault in.
  // The view is valid until the next call; WebSocket.send copies it.
  const LANE_SCRATCH_KEEP = 32 * 1024 * 1024;
  const laneEncoder = new TextEncoder();
  let laneScratch = null;
  function scratch(bound) {
    let buf = laneScratch;
    if (buf === null || buf.length < bound) {
      buf = new Uint8Array(bound);
      laneScratch = bound <= LANE_SCRATCH_KEEP ? buf : null;
    }
    return buf;
  }

  // True when `s` is more than `max` bytes of UTF-8.
  function textLarger(s, max) {
    return s.length > max || (s.length * 3 > max && utf8Length(s) > max);
  }

  // A long string attachment's UTF-8, in the scratch buffer (valid until the next call).
  function encodeText(s) {
    const buf = scratch(s.length * 3);
    return buf.subarray(0, laneEncoder.encodeInto(s, buf).written);
  }

  function encodeBatch(parts) {
    let bound = parts.length + 1;
    for (const p of parts) bound += p.length * 3;  // UTF-8 bytes per UTF-16 unit: at most 3
    const buf = scratch(bound);
    let at = 0;
    buf[at++] = 0x5b;  // [
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) buf[at++] = 0x2c;  // ,
      at += laneEncoder.encodeInto(parts[i], buf.subarray(at)).written;
    }
    buf[at++] = 0x5d;  // ]
    return buf.subarray(0, at);
  }

  // Sends the cancel of call `id` over the lane when the call went that way, so that it cannot
  // overtake the call. False when it did not (the cancel is for QWebChannel, then).
  function cancelOnLane(id, part) {
    if (!(laneIds.delete(id) && lane && laneState === 'open')) return false;
    sendLane([part], [undefined], [undefined]);
    return true;
  }
