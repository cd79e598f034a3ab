// The host's limits the page keeps to itself, as `welcome` says them: the size of a batch, which
// both the calls (checking each message) and the transport (splitting batches under it)
// respect, and how many event names the page may listen to.

  // The host's largest batch, in bytes of UTF-8.
  let maxBatch = 64 * 1024 * 1024;

  // True when one message alone is too large for a batch; the long strings sent beside it
  // (strings in `bin`) count as if they were in it.
  function tooLarge(part, bin) {
    let units = part.length;
    if (bin) for (const a of bin) if (typeof a === 'string') units += a.length;
    if (units * 3 + 2 <= maxBatch) return false;
    if (units + 2 > maxBatch) return true;
    let size = utf8Length(part);
    if (bin) for (const a of bin) if (typeof a === 'string') size += utf8Length(a);
    return size + 2 > maxBatch;
  }

  // The most event names the page may listen to at once; past it listen() rejects.
  let maxListens = Infinity;

  // The limits from the host's welcome.
  function limitsWelcome(m) {
    if (m.limits && Number.isInteger(m.limits.batch) && m.limits.batch > 0) maxBatch = m.limits.batch;
    if (m.limits && Number.isInteger(m.limits.listens) && m.limits.listens > 0) maxListens = m.limits.listens;
  }
