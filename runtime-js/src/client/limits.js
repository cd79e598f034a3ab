// The host's size limit on a batch, which both the calls (checking each message) and the
// transport (splitting batches under it) respect; `welcome` says what it is.

  // The host's largest batch, in bytes of UTF-8.
  let maxBatch = 64 * 1024 * 1024;

  // True when one message alone is too large for a batch.
  function tooLarge(part) {
    return part.length * 3 + 2 > maxBatch && utf8Length(part) + 2 > maxBatch;
  }

  // The batch limit from the host's welcome.
  function limitsWelcome(m) {
    if (m.limits && Number.isInteger(m.limits.batch) && m.limits.batch > 0) maxBatch = m.limits.batch;
  }
