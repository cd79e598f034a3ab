// The IPC inspector's data: the rows (one message each) C++ streams to the page, kept by seq,
// with the updates that finish them, their links (an invoke and its answer), the per-command
// stats and the sampling counts; the filters of the toolbar; the export to a recording
// (docs/recording.md); and the formatting of sizes and durations. No DOM: view.js draws it.

export const DEFAULT_MAX_ROWS = 10000;

/** The kind select's groups: value -> the kinds it shows ('all' and 'other' are computed). */
export const KIND_GROUPS = {
  invoke: ['invoke'],
  result: ['result'],
  error: ['error'],
  event: ['emit', 'event'],
  channel: ['chan', 'chan_end'],
  credit: ['credit'],
  cancel: ['cancel'],
  listen: ['listen', 'unlisten'],
};
const GROUPED = new Set(Object.values(KIND_GROUPS).flat());

// Answers of an invoke: the rows that carry its id back to the page.
const ANSWER_KINDS = new Set(['result', 'error']);

function linkKey(row) {
  return row.window + '\u0000' + row.session + '\u0000' + row.id;
}

/**
 * The rows C++ streams, by seq, oldest first, at most `maxRows` of them. `applyFrame` takes one
 * frame of the `watch` channel and says what changed, so that a view can redraw only that.
 */
export class Model {
  constructor(options = {}) {
    this.maxRows = validMax(options.maxRows) || DEFAULT_MAX_ROWS;
    this.clear();
  }

  /**
   * Forgets every row, link, stat and count (the windows list stays: they are still open). Rows
   * of a frame sent before C++ cleared too (seq up to the last one seen) are not taken again.
   */
  clear() {
    this.seenUpTo = Math.max(this.seenUpTo || 0, this.rows && this.rows.length ? this.rows[this.rows.length - 1].seq : 0);
    this.clearedUpTo = this.seenUpTo;
    /** Held rows, in increasing seq. */
    this.rows = [];
    this.bySeq = new Map();
    // invoke seq <-> answer seq, and the unmatched halves waiting for the other by window+session+id.
    this.answerOf = new Map();
    this.callOf = new Map();
    this.callByKey = new Map();
    this.answerByKey = new Map();
    /** Messages C++ did not keep (sampling under load), by kind, since the last clear. */
    this.skipped = {};
    this.skippedTotal = 0;
    /** Per-command stats as C++ last sent them, by command name. */
    this.stats = new Map();
    /** Rows received since the last clear, held or not (pause counts new rows with it). */
    this.received = 0;
    this.windowCounts = new Map();
    if (!this.windows) this.windows = [];
    // (wall-clock ms, calls so far) samples for calls/s.
    this.callSamples = [];
    this.callsSoFar = 0;
  }

  setMaxRows(n) {
    const max = validMax(n);
    if (max) this.maxRows = max;
    return this.trim();
  }

  setWindows(list) {
    if (Array.isArray(list)) this.windows = list.filter((w) => typeof w === 'string');
  }

  get size() {
    return this.rows.length;
  }

  has(seq) {
    return this.bySeq.has(seq);
  }

  get(seq) {
    return this.bySeq.get(seq);
  }

  /** The seq of the answer row of invoke row `seq`, or of the invoke row answered by `seq`. */
  partnerOf(seq) {
    const answer = this.answerOf.get(seq);
    return answer !== undefined ? answer : this.callOf.get(seq);
  }

  /** The windows to offer in the filter: those C++ lists, then any other a held row names. */
  windowNames() {
    const names = this.windows.slice();
    const listed = new Set(names);
    for (const w of this.windowCounts.keys()) if (!listed.has(w)) names.push(w);
    return names;
  }

  /**
   * Applies one frame `{rows, updates, skipped, windows, stats}` (each key optional).
   * Returns {added: [rows], updated: Set(seq), dropped: [rows], windowsChanged: bool}: the rows
   * it added and still holds, the held rows updates changed, and the rows it let go (trimming).
   */
  applyFrame(frame, now = Date.now()) {
    const out = { added: [], updated: new Set(), dropped: [], windowsChanged: false };
    if (!frame || typeof frame !== 'object') return out;
    const windowsBefore = this.windowNames().join('\u0000');
    let calls = 0;
    if (Array.isArray(frame.rows)) {
      for (const row of frame.rows) {
        if (!row || typeof row !== 'object' || typeof row.seq !== 'number' || row.seq <= this.clearedUpTo) continue;
        if (row.seq > this.seenUpTo) this.seenUpTo = row.seq;
        if (this.bySeq.has(row.seq)) {
          // Sent again (a replay overlapping a live frame): merge rather than duplicate.
          Object.assign(this.bySeq.get(row.seq), row);
          out.updated.add(row.seq);
          continue;
        }
        this.received++;
        if (row.kind === 'invoke') calls++;
        this.insert(row);
        out.added.push(row);
      }
    }
    if (Array.isArray(frame.updates)) {
      for (const u of frame.updates) {
        if (!u || typeof u !== 'object') continue;
        const row = this.bySeq.get(u.seq);
        if (!row) continue; // a row no longer held
        for (const k of Object.keys(u)) if (k !== 'seq') row[k] = u[k];
        out.updated.add(u.seq);
      }
    }
    if (frame.skipped && typeof frame.skipped === 'object') {
      // The counts since the last clear, by kind: they replace the ones held.
      const before = this.skipped.invoke || 0;
      this.skipped = {};
      this.skippedTotal = 0;
      for (const [kind, n] of Object.entries(frame.skipped)) {
        if (typeof n !== 'number' || !(n > 0)) continue;
        this.skipped[kind] = n;
        this.skippedTotal += n;
      }
      calls += Math.max(0, (this.skipped.invoke || 0) - before);
    }
    if (Array.isArray(frame.windows)) this.setWindows(frame.windows);
    if (Array.isArray(frame.stats)) {
      for (const s of frame.stats) if (s && typeof s.name === 'string') this.stats.set(s.name, s);
      // The stats count every call, sampled out or not: the better count when C++ sends them.
      let total = 0;
      for (const s of this.stats.values()) total += s.calls || 0;
      this.callsSoFar = total;
    } else if (this.stats.size === 0) {
      this.callsSoFar += calls;
    }
    this.noteCalls(now);
    out.dropped = this.trim();
    out.windowsChanged = this.windowNames().join('\u0000') !== windowsBefore;
    if (out.dropped.length) {
      out.added = out.added.filter((r) => this.bySeq.has(r.seq));
      for (const r of out.dropped) out.updated.delete(r.seq);
    }
    return out;
  }

  insert(row) {
    const rows = this.rows;
    if (rows.length === 0 || rows[rows.length - 1].seq < row.seq) {
      rows.push(row);
    } else {
      // Out of order (rare): keep the array sorted by seq.
      let lo = 0;
      let hi = rows.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (rows[mid].seq < row.seq) lo = mid + 1;
        else hi = mid;
      }
      rows.splice(lo, 0, row);
    }
    this.bySeq.set(row.seq, row);
    if (row.window !== undefined) this.windowCounts.set(row.window, (this.windowCounts.get(row.window) || 0) + 1);
    this.link(row);
  }

  link(row) {
    if (row.id === undefined || row.id === null) return;
    if (row.dir === 'in' && row.kind === 'invoke') {
      const key = linkKey(row);
      const answer = this.answerByKey.get(key);
      if (answer !== undefined && this.bySeq.has(answer)) {
        this.answerByKey.delete(key);
        this.answerOf.set(row.seq, answer);
        this.callOf.set(answer, row.seq);
      } else {
        this.callByKey.set(key, row.seq);
      }
    } else if (row.dir === 'out' && ANSWER_KINDS.has(row.kind)) {
      const key = linkKey(row);
      const call = this.callByKey.get(key);
      if (call !== undefined && this.bySeq.has(call)) {
        this.callByKey.delete(key);
        this.answerOf.set(call, row.seq);
        this.callOf.set(row.seq, call);
      } else {
        this.answerByKey.set(key, row.seq);
      }
    }
  }

  /** Drops the oldest rows beyond maxRows; returns them. */
  trim() {
    const excess = this.rows.length - this.maxRows;
    if (excess <= 0) return [];
    const dropped = this.rows.splice(0, excess);
    for (const row of dropped) this.forget(row);
    return dropped;
  }

  forget(row) {
    this.bySeq.delete(row.seq);
    if (row.window !== undefined) {
      const n = this.windowCounts.get(row.window) - 1;
      if (n > 0) this.windowCounts.set(row.window, n);
      else this.windowCounts.delete(row.window);
    }
    const answer = this.answerOf.get(row.seq);
    if (answer !== undefined) {
      this.answerOf.delete(row.seq);
      this.callOf.delete(answer);
    }
    const call = this.callOf.get(row.seq);
    if (call !== undefined) {
      this.callOf.delete(row.seq);
      this.answerOf.delete(call);
    }
    if (row.id !== undefined && row.id !== null) {
      const key = linkKey(row);
      if (this.callByKey.get(key) === row.seq) this.callByKey.delete(key);
      if (this.answerByKey.get(key) === row.seq) this.answerByKey.delete(key);
    }
  }

  noteCalls(now) {
    const samples = this.callSamples;
    const last = samples[samples.length - 1];
    if (last && last.now === now) last.calls = this.callsSoFar;
    else samples.push({ now, calls: this.callsSoFar });
    // Keep one sample older than the last second: the count at its start.
    let keep = 0;
    while (keep + 1 < samples.length && samples[keep + 1].now <= now - 1000) keep++;
    if (keep > 0) samples.splice(0, keep);
  }

  /** Calls over the second before `now` (wall-clock ms), as counted by the frames received. */
  callsPerSecond(now = Date.now()) {
    const samples = this.callSamples;
    if (samples.length < 2) return 0;
    const latest = samples[samples.length - 1];
    // The count a second ago: the last sample at or before then, else the oldest one (the calls
    // before the first frame are the replay of earlier ones, not this second's).
    let base = samples[0];
    for (const s of samples) {
      if (s.now <= now - 1000) base = s;
      else break;
    }
    if (latest.now <= now - 1000) return 0;
    return Math.max(0, latest.calls - base.calls);
  }
}

function validMax(n) {
  return Number.isInteger(n) && n > 0 ? n : 0;
}

// ---------------------------------------------------------------------------------------------
// Filters

/** True for the rows "errors only" keeps: failed or refused calls, error answers, faults. */
export function isErrorRow(row) {
  return row.status === 'error' || row.status === 'denied' || row.kind === 'error' || row.kind === 'fault';
}

/**
 * A predicate for `criteria` = {window, kind, name, errorsOnly}: window '' or 'all' for every
 * window; kind one of KIND_GROUPS' keys, 'other' or 'all'/''; name a case-insensitive substring
 * of the row's name; errorsOnly see isErrorRow.
 */
export function matcher(criteria = {}) {
  const window = criteria.window && criteria.window !== 'all' ? criteria.window : null;
  const kind = criteria.kind && criteria.kind !== 'all' ? criteria.kind : null;
  let kinds = null;
  if (kind === 'other') kinds = null;
  else if (kind) kinds = new Set(KIND_GROUPS[kind] || [kind]);
  const name = typeof criteria.name === 'string' ? criteria.name.trim().toLowerCase() : '';
  const errorsOnly = !!criteria.errorsOnly;
  if (!window && !kind && !name && !errorsOnly) return () => true;
  return (row) => {
    if (window && row.window !== window) return false;
    if (kind === 'other') {
      if (GROUPED.has(row.kind)) return false;
    } else if (kinds && !kinds.has(row.kind)) {
      return false;
    }
    if (errorsOnly && !isErrorRow(row)) return false;
    if (name) {
      if (typeof row.name !== 'string' || !row.name.toLowerCase().includes(name)) return false;
    }
    return true;
  };
}

/** The rows that pass `criteria` (see matcher), in their order. */
export function filter(rows, criteria) {
  return rows.filter(matcher(criteria));
}

/** True when `criteria` lets every row through. */
export function isUnfiltered(criteria = {}) {
  return (!criteria.window || criteria.window === 'all') && (!criteria.kind || criteria.kind === 'all') &&
    !(typeof criteria.name === 'string' && criteria.name.trim()) && !criteria.errorsOnly;
}

// ---------------------------------------------------------------------------------------------
// Export

/** The time now as the recording's header writes it: ISO 8601 in UTC, to the second. */
export function isoNow(date = new Date()) {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * A recording (JSON lines, docs/recording.md) of `rows`, in seq order, for app `app`: returns
 * {text, records, left_out}. Rows whose message was cut (`truncated`), was not kept (no `json`),
 * or is not JSON cannot be written and are left out; `left_out` counts them.
 */
export function toRecording(rows, app, started = isoNow()) {
  const sorted = rows.slice().sort((a, b) => a.seq - b.seq);
  const lines = [JSON.stringify({ recording: 'myapp', v: 1, app: String(app === undefined ? '' : app), started })];
  let leftOut = 0;
  let records = 0;
  for (const row of sorted) {
    if (row.truncated || typeof row.json !== 'string' || typeof row.t !== 'number' || row.session === undefined ||
        (row.dir !== 'in' && row.dir !== 'out')) {
      leftOut++;
      continue;
    }
    let message;
    try {
      message = JSON.parse(row.json);
    } catch {
      leftOut++;
      continue;
    }
    const rec = { t: row.t, session: row.session, window: row.window, url: row.url, origin: row.origin, local: row.local, dir: row.dir };
    const att = attachmentsOf(row);
    if (row.dir === 'in') {
      // An invoke's buffers on the bulk lane are its batch's `uploads`, which its `bin` entries
      // name as {"lane": k}; the record's batch is this message alone, so they count from 0.
      const uploads = [];
      if (!Array.isArray(row.att) && att.length) {
        uploads.push(...att.map(recordedEntry));  // from a host that sent sizes only
      } else if (Array.isArray(message.bin)) {
        message.bin = message.bin.map((e) => {
          const a = e !== null && typeof e === 'object' && Number.isInteger(e.lane) ? att.find((x) => x.lane === e.lane) : null;
          if (!a) return e;
          uploads.push(recordedEntry(a));
          return { lane: uploads.length - 1 };
        });
      }
      rec.batch = [message];
      if (uploads.length) rec.uploads = uploads;
    } else {
      rec.msg = message;
      // An answer's or frame's attachments are its `bin`: their contents when the row kept them
      // (a replay answers with them), else their sizes.
      if (att.length) rec.bin = att.map(recordedEntry);
    }
    lines.push(JSON.stringify(rec));
    records++;
  }
  return { text: lines.join('\n') + '\n', records, left_out: leftOut };
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** Bytes for people: "812 B", "3.4 KiB", "1.20 MiB". */
export function formatSize(n) {
  if (typeof n !== 'number' || !isFinite(n)) return '';
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(n < 10 * 1024 ? 2 : 1) + ' KiB';
  return (n / (1024 * 1024)).toFixed(n < 10 * 1024 * 1024 ? 2 : 1) + ' MiB';
}

/** Microseconds as milliseconds: 120 -> "0.12 ms", 15300 -> "15.30 ms", 2500000 -> "2.50 s". */
export function formatUs(us) {
  if (typeof us !== 'number' || !isFinite(us)) return '';
  if (us >= 1e6) return (us / 1e6).toFixed(2) + ' s';
  return (us / 1000).toFixed(2) + ' ms';
}

/** A row's time: ms since the app started, to 0.1 ms. */
export function formatTime(t) {
  return typeof t === 'number' && isFinite(t) ? t.toFixed(1) : '';
}

/** "→" for a message from the page to C++, "←" for one to the page. */
export function formatDir(dir) {
  return dir === 'in' ? '→' : dir === 'out' ? '←' : '';
}

/** The capability column: the capability that decided, "none" when nothing granted a refused call. */
export function capabilityText(row) {
  const acl = row.acl;
  if (!acl || typeof acl !== 'object') return '';
  if (acl.capability) return String(acl.capability);
  return acl.allowed ? '' : 'none';
}

/**
 * The ACL decision in words: {allowed, text, why}, or null when the row has none.
 * "allowed by capability `default` (capabilities/default.json) through `allow-greet`",
 * "denied by capability `locked` (capabilities/locked.json) through `deny-greet`",
 * "denied: no capability grants it (`allow-greet` would)".
 */
export function aclText(acl) {
  if (!acl || typeof acl !== 'object') return null;
  const through = acl.permission ? ' through `' + acl.permission + '`' : '';
  const file = acl.file ? ' (' + acl.file + ')' : '';
  let text;
  if (acl.allowed) {
    text = acl.capability ? 'allowed by capability `' + acl.capability + '`' + file + through : 'allowed' + through;
  } else if (acl.capability) {
    text = 'denied by capability `' + acl.capability + '`' + file + through;
  } else {
    text = 'denied: no capability grants it' + (acl.permission ? ' (`' + acl.permission + '` would)' : '');
  }
  return { allowed: !!acl.allowed, text, why: typeof acl.why === 'string' ? acl.why : '' };
}

/**
 * A row's attachments, [{n, lane?, str?, text?, b64?}]: sizes from `bin`, what they held from
 * `att` (a long string's `text`, bytes as `b64`) when the host kept it.
 */
export function attachmentsOf(row) {
  if (Array.isArray(row.att)) return row.att.filter((a) => a !== null && typeof a === 'object' && Number.isFinite(a.n));
  return Array.isArray(row.bin) ? row.bin.filter(Number.isFinite).map((n) => ({ n })) : [];
}

// What a recording holds for an attachment: its bytes in base64 (a string's as UTF-8), or its
// size alone when the row did not keep it (a replay reports that as recording.incomplete).
function recordedEntry(a) {
  if (typeof a.text === 'string') return { b64: base64OfText(a.text) };
  if (typeof a.b64 === 'string') return { b64: a.b64 };
  return { n: a.n };
}

function base64OfText(text) {
  const utf8 = new TextEncoder().encode(text);
  let s = '';
  for (let i = 0; i < utf8.length; i += 0x8000) s += String.fromCharCode.apply(null, utf8.subarray(i, i + 0x8000));
  return btoa(s);
}

function textOfBase64(b64) {
  try {
    const s = atob(b64);
    const bytes = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

// The message with each long string ({"$str": i}, sent beside the JSON) in place when the row
// kept its text: what the page sent or received, for people to read.
function withTexts(message, row) {
  if (message === null || typeof message !== 'object') return message;
  const att = attachmentsOf(row);
  let texts;
  if (row.dir !== 'in') {
    // An answer's or frame's attachments are the row's, in order.
    texts = att.map((a) => (typeof a.text === 'string' ? a.text : undefined));
  } else if (Array.isArray(message.bin)) {
    // An invoke's: its `bin` entries, inline (base64) or on the lane (kept by the host).
    texts = message.bin.map((e) => {
      if (e === null || typeof e !== 'object') return undefined;
      if (Number.isInteger(e.lane)) {
        const a = att.find((x) => x.lane === e.lane);
        return a && typeof a.text === 'string' ? a.text : undefined;
      }
      return typeof e.b64 === 'string' ? textOfBase64(e.b64) : undefined;
    });
  } else {
    return message;
  }
  const put = (v) => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(put);
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === '$str' && Number.isInteger(v.$str) && texts[v.$str] !== undefined) {
      return texts[v.$str];
    }
    const out = {};
    for (const k of keys) out[k] = k === 'bin' && v === message ? v[k] : put(v[k]);
    return out;
  };
  return put(message);
}

/**
 * The message of a row for people: pretty JSON with its long strings in place where they were
 * kept, or the raw text when it was cut or is not JSON.
 */
export function payloadText(row) {
  if (typeof row.json !== 'string') return '';
  if (row.truncated) return row.json;
  try {
    return JSON.stringify(withTexts(JSON.parse(row.json), row), null, 2);
  } catch {
    return row.json;
  }
}

/** Text cut to `max` characters: {text, cut: the characters left out}. */
export function cutText(text, max = 4000) {
  if (text.length <= max) return { text, cut: 0 };
  return { text: text.slice(0, max), cut: text.length - max };
}

/** "12,345" (grouped thousands, no locale surprises). */
export function formatCount(n) {
  const s = String(Math.round(n));
  const sign = s[0] === '-' ? '-' : '';
  const digits = sign ? s.slice(1) : s;
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += ',' + digits.slice(i, i + 3);
  return sign + out;
}
