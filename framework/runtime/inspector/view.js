// The IPC inspector's table, detail pane, stats and status line. Changes are noted as frames
// arrive and drawn at most once per animation frame. The table holds the newest DOM_ROWS rows
// that pass the filter and is never rebuilt for new rows: when a few arrive, the rows shown and
// the rows to show are merged (an appended row costs one <tr>, recycled from those that went);
// when a busy frame replaces most of them, the <tr>s stay in place and are given the new rows'
// text, which costs less than moving a thousand rows.
import {
  matcher, isUnfiltered, formatSize, formatUs, formatTime, formatDir, formatCount, capabilityText, aclText,
  payloadText, cutText, attachmentsOf,
} from './model.js';

/** Rows in the DOM at most: the newest of those that pass the filter. */
export const DOM_ROWS = 1000;
/** Characters of a payload shown before "show all". */
export const PAYLOAD_PREVIEW = 4000;

const CELLS = ['c-pick', 'c-time', 'c-window', 'c-dir', 'c-kind', 'c-name', 'c-size', 'c-queued', 'c-handler', 'c-status', 'c-acl'];

// A kind or status as a class name part (they are fixed words; anything else is made safe).
function token(s) {
  return String(s).replace(/[^A-Za-z0-9_-]/g, '_');
}

function setNote(el, text, isError) {
  el.textContent = text;
  el.classList.toggle('error', isError);
  el.hidden = !text;
}

export class View {
  /**
   * `els`: {tbody, wrap (the table's scroll box), older and olderText (the hidden-rows note),
   * detail, stats,
   * status: {counts, sampling, rate, saved, message}, pause (button), exportButton, windowSelect,
   * pickAll (the header's checkbox), panes (the table and detail's box)}.
   */
  constructor(doc, model, els) {
    this.doc = doc;
    this.model = model;
    this.els = els;
    this.criteria = { window: 'all', kind: 'all', name: '', errorsOnly: false };
    this.paused = false;
    this.pausedAt = 0;
    this.held = 0; // rows C++ held when watching began (the replay)
    this.selected = null;
    this.showAll = false;
    this.checked = new Set();
    /** Seqs of the rows in the table, in order, and their <tr>s. */
    this.shown = [];
    this.trBySeq = new Map();
    this.pool = [];
    this.matching = 0;
    this.updated = new Set();
    this.rowsDirty = true;
    this.detailDirty = true;
    this.statsDirty = true;
    this.windowsDirty = true;
    this.statsVisible = false;
    this.frame = 0;
    this.template = this.makeTemplate();
    this.render = this.render.bind(this);
  }

  makeTemplate() {
    const tr = this.doc.createElement('tr');
    for (const c of CELLS) {
      const td = this.doc.createElement('td');
      td.className = c;
      if (c === 'c-pick') {
        const box = this.doc.createElement('input');
        box.type = 'checkbox';
        box.className = 'pick';
        box.tabIndex = -1;
        td.appendChild(box);
      }
      tr.appendChild(td);
    }
    return tr;
  }

  schedule() {
    if (!this.frame) this.frame = requestAnimationFrame(this.render);
  }

  // ----- what changed ---------------------------------------------------------------------

  /** After model.applyFrame(): what it returned. */
  noteChanges(changes) {
    if (changes.added.length || changes.dropped.length || changes.updated.size) this.rowsDirty = true;
    for (const seq of changes.updated) this.updated.add(seq);
    for (const row of changes.dropped) {
      this.updated.delete(row.seq);
      this.checked.delete(row.seq);
    }
    if (this.selected !== null && (changes.updated.has(this.selected) ||
        this.model.partnerOf(this.selected) !== this.detailPartner || this.model.has(this.selected) !== this.detailHeld)) {
      // Its fields, its partner (an answer just arrived) or its being held changed.
      this.detailDirty = true;
    }
    if (changes.windowsChanged) this.windowsDirty = true;
    this.statsDirty = true;
    this.schedule();
  }

  setCriteria(criteria) {
    this.criteria = Object.assign({}, this.criteria, criteria);
    this.rowsDirty = true;
    this.schedule();
  }

  setPaused(paused) {
    if (paused === this.paused) return;
    this.paused = paused;
    this.pausedAt = this.model.received;
    this.rowsDirty = true;
    this.schedule();
  }

  /** After model.clear(). */
  reset() {
    this.pausedAt = 0;
    this.held = 0;
    this.checked.clear();
    this.updated.clear();
    this.selected = null;
    this.showAll = false;
    this.detailDirty = true;
    this.statsDirty = true;
    this.windowsDirty = true;
    this.rowsDirty = true;
    // The table empties now even while paused: what it showed is gone.
    const paused = this.paused;
    this.paused = false;
    this.renderRows();
    this.paused = paused;
    this.schedule();
  }

  setStatsVisible(visible) {
    this.statsVisible = visible;
    this.els.stats.hidden = !visible;
    this.statsDirty = true;
    this.schedule();
  }

  /** The export's outcome in the status line: the file saved to, or what went wrong. */
  setSaved(text, isError = false) {
    setNote(this.els.status.saved, text, isError);
  }

  /** Any other news for the status line (watching failed, clearing failed). */
  setMessage(text, isError = false) {
    setNote(this.els.status.message, text, isError);
  }

  // ----- selection and checks ---------------------------------------------------------------

  select(seq, { scroll = false } = {}) {
    if (seq !== this.selected) {
      const before = this.selected !== null ? this.trBySeq.get(this.selected) : null;
      if (before) before.classList.remove('selected');
      this.selected = seq;
      this.showAll = false;
    }
    const tr = seq !== null ? this.trBySeq.get(seq) : null;
    if (tr) {
      tr.classList.add('selected');
      if (scroll) tr.scrollIntoView({ block: 'nearest' });
    }
    this.detailDirty = true;
    this.renderDetail();
  }

  /** Selects the row `step` rows after (or before) the selected one among those shown. */
  moveSelection(step) {
    if (!this.shown.length) return;
    let i = this.selected === null ? -1 : this.shown.indexOf(this.selected);
    if (i < 0) i = step > 0 ? -1 : this.shown.length;
    const j = Math.min(this.shown.length - 1, Math.max(0, i + step));
    this.select(this.shown[j], { scroll: true });
  }

  setChecked(seq, on) {
    if (on) this.checked.add(seq);
    else this.checked.delete(seq);
    this.renderExportLabel();
  }

  /** Checks every row in the table, or, when some are checked, unchecks them all. */
  toggleAllChecked() {
    const on = this.checked.size === 0;
    this.checked.clear();
    if (on) for (const seq of this.shown) this.checked.add(seq);
    for (const [seq, tr] of this.trBySeq) tr.cells[0].firstChild.checked = this.checked.has(seq);
    this.renderExportLabel();
  }

  /** The rows to export: the checked ones still held, else those that pass the filter. */
  rowsToExport() {
    if (this.checked.size) {
      return [...this.checked].map((seq) => this.model.get(seq)).filter(Boolean).sort((a, b) => a.seq - b.seq);
    }
    const match = matcher(this.criteria);
    return this.model.rows.filter(match);
  }

  // ----- drawing ------------------------------------------------------------------------------

  render() {
    this.frame = 0;
    if (this.windowsDirty) this.renderWindows();
    if (this.rowsDirty && !this.paused) this.renderRows();
    if (this.detailDirty) this.renderDetail();
    if (this.statsDirty && this.statsVisible) this.renderStats();
    this.renderStatus();
  }

  renderRows() {
    this.rowsDirty = false;
    const rows = this.model.rows;
    // The newest DOM_ROWS rows that pass the filter, and how many pass in all.
    let target;
    if (isUnfiltered(this.criteria)) {
      this.matching = rows.length;
      target = rows.length > DOM_ROWS ? rows.slice(rows.length - DOM_ROWS) : rows.slice();
    } else {
      const match = matcher(this.criteria);
      const newest = [];
      let n = 0;
      for (let i = rows.length - 1; i >= 0; i--) {
        if (!match(rows[i])) continue;
        if (n < DOM_ROWS) newest.push(rows[i]);
        n++;
      }
      this.matching = n;
      target = newest.reverse();
    }
    const wrap = this.els.wrap;
    const atBottom = wrap.scrollHeight - wrap.scrollTop - wrap.clientHeight < 24;
    const cur = this.shown;
    // How many of the rows shown stay: most of them when a few rows arrive, few when the rows
    // of a busy frame push the table's whole content out.
    let kept = 0;
    for (let i = 0, j = 0; i < cur.length && j < target.length;) {
      if (cur[i] === target[j].seq) {
        kept++;
        i++;
        j++;
      } else if (cur[i] < target[j].seq) {
        i++;
      } else {
        j++;
      }
    }
    const next = kept * 2 < target.length && cur.length ? this.refill(target) : this.merge(target);
    this.shown = next;
    this.updated.clear();
    const hidden = this.matching - target.length;
    this.els.older.hidden = hidden <= 0;
    if (hidden > 0) {
      this.els.olderText.textContent = formatCount(hidden) + ' older rows hidden; narrow the filter';
    }
    if (atBottom && target.length) wrap.scrollTop = wrap.scrollHeight;
  }

  // The rows shown and the rows to show, both in seq order, walked together: the rows that go
  // are removed, the new ones inserted where they belong, the ones that stay untouched (unless
  // an update changed them). Returns the seqs now shown.
  merge(target) {
    const tbody = this.els.tbody;
    const cur = this.shown;
    const updated = this.updated;
    const next = new Array(target.length);
    let tail = null;
    let i = 0;
    for (let j = 0; j < target.length; j++) {
      const row = target[j];
      const seq = row.seq;
      while (i < cur.length && cur[i] < seq) this.removeRow(cur[i++]);
      if (i < cur.length && cur[i] === seq) {
        if (updated.has(seq)) this.fill(this.trBySeq.get(seq), row);
        i++;
      } else {
        const tr = this.pool.pop() || this.template.cloneNode(true);
        this.fill(tr, row);
        this.trBySeq.set(seq, tr);
        if (i < cur.length) {
          tbody.insertBefore(tr, this.trBySeq.get(cur[i]));
        } else {
          if (!tail) tail = this.doc.createDocumentFragment();
          tail.appendChild(tr);
        }
      }
      next[j] = seq;
    }
    while (i < cur.length) this.removeRow(cur[i++]);
    if (tail) tbody.appendChild(tail);
    return next;
  }

  // Mostly new rows: the <tr>s stay where they are and show the new rows in turn (rewriting a
  // row's text costs less than moving the row). Returns the seqs now shown.
  refill(target) {
    const tbody = this.els.tbody;
    const trs = tbody.rows;
    const cur = this.shown;
    while (trs.length > target.length) {
      const tr = trs[trs.length - 1];
      tr.remove();
      if (this.pool.length < DOM_ROWS) this.pool.push(tr);
    }
    let tail = null;
    for (let k = trs.length; k < target.length; k++) {
      if (!tail) tail = this.doc.createDocumentFragment();
      tail.appendChild(this.pool.pop() || this.template.cloneNode(true));
    }
    if (tail) tbody.appendChild(tail);
    const updated = this.updated;
    const next = new Array(target.length);
    this.trBySeq.clear();
    for (let k = 0; k < target.length; k++) {
      const row = target[k];
      const tr = trs[k];
      if (cur[k] !== row.seq || updated.has(row.seq) || k >= cur.length) this.fill(tr, row);
      this.trBySeq.set(row.seq, tr);
      next[k] = row.seq;
    }
    return next;
  }

  removeRow(seq) {
    const tr = this.trBySeq.get(seq);
    this.trBySeq.delete(seq);
    if (!tr) return;
    tr.remove();
    if (this.pool.length < DOM_ROWS) this.pool.push(tr);
  }

  fill(tr, row) {
    let cls = 'row kind-' + token(row.kind) + ' dir-' + token(row.dir);
    if (row.status) cls += ' status-' + token(row.status);
    if (row.kind === 'error' || row.kind === 'fault') cls += ' failed';
    if (row.seq === this.selected) cls += ' selected';
    tr.className = cls;
    tr.dataset.seq = String(row.seq);
    const c = tr.cells;
    c[0].firstChild.checked = this.checked.has(row.seq);
    c[1].textContent = formatTime(row.t);
    c[2].textContent = row.window === undefined ? '' : row.window;
    c[3].textContent = formatDir(row.dir);
    c[4].textContent = row.kind === undefined ? '' : row.kind;
    const name = row.name === undefined ? '' : String(row.name);
    c[5].textContent = name;
    c[5].title = name;
    c[6].textContent = formatSize(row.size) + (row.bin && row.bin.length ? ' +' + row.bin.length : '');
    c[7].textContent = formatUs(row.queued_us);
    c[8].textContent = formatUs(row.handler_us);
    // A failed call's code says why; a refused one's is always acl.denied.
    c[9].textContent = row.status === undefined ? '' : row.status + (row.code && row.status !== 'denied' ? ' ' + row.code : '');
    c[10].textContent = capabilityText(row);
    c[10].title = row.acl && row.acl.why ? row.acl.why : '';
  }

  renderWindows() {
    this.windowsDirty = false;
    const select = this.els.windowSelect;
    const current = select.value;
    const names = this.model.windowNames();
    if (current && current !== 'all' && !names.includes(current)) names.push(current);
    const have = [...select.options].slice(1).map((o) => o.value);
    if (have.join('\u0000') === names.join('\u0000')) return;
    while (select.options.length > 1) select.remove(1);
    for (const name of names) {
      const o = this.doc.createElement('option');
      o.value = name;
      o.textContent = name;
      select.appendChild(o);
    }
    select.value = current || 'all';
  }

  renderExportLabel() {
    const n = this.checked.size;
    this.els.exportButton.textContent = n ? 'Export ' + formatCount(n) + ' checked' : 'Export';
    if (this.els.pickAll) this.els.pickAll.checked = n > 0;
  }

  renderStatus() {
    const m = this.model;
    const s = this.els.status;
    let counts = formatCount(m.size) + ' rows held · ' + formatCount(this.matching) + ' shown';
    if (this.held && m.received < this.held) counts += ' · loading ' + formatCount(this.held) + ' held rows…';
    s.counts.textContent = counts;
    s.sampling.hidden = m.skippedTotal === 0;
    if (m.skippedTotal) {
      s.sampling.textContent = 'sampling: ' + formatCount(m.skippedTotal) + ' messages not shown';
      s.sampling.title = Object.entries(m.skipped).map(([k, n]) => k + ': ' + formatCount(n)).join('\n');
    }
    s.rate.textContent = formatCount(m.callsPerSecond()) + ' calls/s';
    const pause = this.els.pause;
    if (this.paused) {
      const fresh = Math.max(0, m.received - this.pausedAt);
      pause.textContent = 'Resume (' + formatCount(fresh) + ' new)';
      pause.classList.add('paused');
    } else {
      pause.textContent = 'Pause';
      pause.classList.remove('paused');
    }
    this.renderExportLabel();
  }

  renderStats() {
    this.statsDirty = false;
    const doc = this.doc;
    const box = this.els.stats;
    const stats = [...this.model.stats.values()].sort((a, b) => (b.calls || 0) - (a.calls || 0) || (a.name < b.name ? -1 : 1));
    const table = doc.createElement('table');
    table.className = 'stats-table';
    const head = table.createTHead().insertRow();
    for (const h of ['command', 'calls', 'errors', 'denied', 'handler avg', 'handler max', 'queued avg']) {
      const th = doc.createElement('th');
      th.textContent = h;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const s of stats) {
      const tr = body.insertRow();
      if (s.errors || s.denied) tr.className = 'has-errors';
      const calls = s.calls || 0;
      const cells = [
        s.name, formatCount(calls), formatCount(s.errors || 0), formatCount(s.denied || 0),
        calls ? formatUs((s.handler_us_total || 0) / calls) : '', formatUs(s.handler_us_max),
        calls ? formatUs((s.queued_us_total || 0) / calls) : '',
      ];
      for (const text of cells) tr.insertCell().textContent = text;
    }
    if (!stats.length) {
      const p = doc.createElement('p');
      p.className = 'empty';
      p.textContent = 'No calls yet.';
      box.replaceChildren(p);
    } else {
      box.replaceChildren(table);
    }
  }

  renderDetail() {
    this.detailDirty = false;
    const doc = this.doc;
    const pane = this.els.detail;
    if (this.selected === null) {
      pane.hidden = true;
      pane.replaceChildren();
      if (this.els.panes) this.els.panes.classList.remove('with-detail');
      return;
    }
    pane.hidden = false;
    // The pane shows the timings and the capability: the table makes room by hiding theirs.
    if (this.els.panes) this.els.panes.classList.add('with-detail');
    const row = this.model.get(this.selected);
    this.detailHeld = !!row;
    this.detailPartner = this.model.partnerOf(this.selected);
    const el = (tag, cls, text) => {
      const e = doc.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined) e.textContent = text;
      return e;
    };
    const head = el('div', 'd-head');
    const close = el('button', 'd-close', '×');
    close.type = 'button';
    close.title = 'Close (Esc)';
    close.dataset.action = 'close';
    if (!row) {
      head.append(el('span', 'd-title', 'seq ' + this.selected), close);
      pane.replaceChildren(head, el('p', 'd-gone', 'This row is no longer held: the inspector keeps the newest ' +
        formatCount(this.model.maxRows) + ' rows.'));
      return;
    }
    const title = el('span', 'd-title');
    title.append(el('span', 'd-dir', formatDir(row.dir) + ' '), el('strong', null, row.kind || '?'));
    if (row.name !== undefined) title.append(' ', el('code', null, String(row.name)));
    if (row.status) title.append(' ', el('span', 'd-status status-' + token(row.status), row.status));
    head.append(title, close);
    const parts = [head];

    // The invoke and its answer.
    const partner = this.model.partnerOf(row.seq);
    if (row.kind === 'invoke' || partner !== undefined) {
      const links = el('div', 'd-links');
      const isCall = row.kind === 'invoke';
      if (partner !== undefined) {
        links.append(isCall ? 'answer: ' : 'call: ');
        const a = el('button', 'link', 'seq ' + partner);
        a.type = 'button';
        a.dataset.goto = String(partner);
        const other = this.model.get(partner);
        if (other) a.title = other.kind + (other.status ? ' (' + other.status + ')' : '');
        links.append(a);
      } else if (row.status === 'pending') {
        links.append('answer: not yet');
      } else {
        links.append('answer: not held');
      }
      parts.push(links);
    }

    // The ACL decision.
    const acl = aclText(row.acl);
    if (acl) {
      const box = el('div', 'd-acl ' + (acl.allowed ? 'allowed' : 'denied'));
      box.append(el('div', 'd-acl-text', acl.text));
      if (acl.why && !acl.allowed) box.append(el('div', 'd-why', acl.why));
      parts.push(box);
    }

    // Timing.
    if (row.queued_us !== undefined || row.handler_us !== undefined) {
      const timing = el('div', 'd-timing');
      const bits = [];
      if (row.queued_us !== undefined) bits.push('queued ' + formatUs(row.queued_us));
      if (row.handler_us !== undefined) bits.push('handler ' + formatUs(row.handler_us));
      timing.textContent = bits.join(' · ');
      parts.push(timing);
    }

    // The fields.
    const dl = el('dl', 'd-fields');
    const field = (k, v) => {
      if (v === undefined || v === null || v === '') return;
      dl.append(el('dt', null, k), el('dd', null, String(v)));
    };
    field('seq', row.seq);
    field('time', formatTime(row.t) + ' ms');
    field('window', row.window);
    field('session', row.session);
    field('url', row.url);
    field('origin', row.origin);
    if (row.local !== undefined) field('local', row.local ? 'yes' : 'no');
    field('direction', row.dir === 'in' ? 'page → C++' : row.dir === 'out' ? 'C++ → page' : row.dir);
    field('kind', row.kind);
    field('name', row.name);
    field('id', row.id);
    field('channel', row.ch);
    field('status', row.status);
    field('code', row.code);
    if (typeof row.size === 'number') field('size', formatSize(row.size) + (row.size >= 1024 ? ' (' + formatCount(row.size) + ' B)' : ''));
    const att = attachmentsOf(row);
    if (att.length) {
      field('attachments', att.map((a) => formatSize(a.n) + (a.str ? ' of text' : ' of bytes') +
        (typeof a.text === 'string' || typeof a.b64 === 'string' ? '' : ' (not kept)')).join(', '));
    }
    if (row.acl) {
      field('capability', row.acl.capability || (row.acl.allowed ? '' : 'none'));
      field('capability file', row.acl.file);
      field('permission', row.acl.permission);
    }
    parts.push(dl);

    // The payload.
    parts.push(el('h3', 'd-section', 'payload'));
    if (typeof row.json !== 'string') {
      parts.push(el('p', 'd-note', 'The message was not kept.'));
    } else {
      if (row.truncated) {
        parts.push(el('p', 'd-note', 'Cut: only the first ' + formatSize(row.json.length) + ' of ' +
          formatSize(row.size) + ' were kept (raw text).'));
      }
      const full = payloadText(row);
      const shown = this.showAll ? { text: full, cut: 0 } : cutText(full, PAYLOAD_PREVIEW);
      parts.push(el('pre', 'payload', shown.text));
      if (shown.cut) {
        const more = el('button', 'show-all', 'show all (' + formatCount(shown.cut) + ' more characters)');
        more.type = 'button';
        more.dataset.action = 'show-all';
        parts.push(more);
      }
    }
    pane.replaceChildren(...parts);
  }

  showAllPayload() {
    this.showAll = true;
    this.renderDetail();
  }
}
