// The IPC inspector's page: watches the app's IPC through `plugin:inspector|watch`, feeds the
// frames to the model, and wires the toolbar (filters, pause, clear, export) to the view.
import { Model, toRecording } from './model.js';
import { View } from './view.js';

const $ = (id) => document.getElementById(id);

const model = new Model();
const view = new View(document, model, {
  tbody: $('rows'),
  wrap: $('table-wrap'),
  older: $('older'),
  olderText: $('older-text'),
  detail: $('detail'),
  stats: $('stats'),
  status: { counts: $('s-counts'), sampling: $('s-sampling'), rate: $('s-rate'), saved: $('s-saved'), message: $('s-message') },
  pause: $('b-pause'),
  exportButton: $('b-export'),
  windowSelect: $('f-window'),
  pickAll: $('pick-all'),
  panes: $('panes'),
});

const myapp = globalThis.__MYAPP__;
let app = 'app';

function failure(e) {
  return e && e.message ? e.message + (e.code ? ' (' + e.code + ')' : '') : String(e);
}

// ----- the toolbar ----------------------------------------------------------------------------

function readCriteria() {
  return {
    window: $('f-window').value,
    kind: $('f-kind').value,
    name: $('f-name').value,
    errorsOnly: $('f-errors').checked,
  };
}
for (const id of ['f-window', 'f-kind', 'f-errors']) $(id).addEventListener('change', () => view.setCriteria(readCriteria()));
$('f-name').addEventListener('input', () => view.setCriteria(readCriteria()));

$('b-pause').addEventListener('click', () => view.setPaused(!view.paused));

$('b-clear').addEventListener('click', () => {
  model.clear();
  view.reset();
  view.setSaved('');
  if (myapp) myapp.invoke('plugin:inspector|clear').catch((e) => view.setMessage('Clear failed: ' + failure(e), true));
});

$('b-stats').addEventListener('click', () => {
  const on = !view.statsVisible;
  view.setStatsVisible(on);
  $('b-stats').setAttribute('aria-pressed', String(on));
});

$('b-export').addEventListener('click', async () => {
  const rows = view.rowsToExport();
  if (!rows.length) {
    view.setSaved('Nothing to export: no rows pass the filter.', true);
    return;
  }
  const { text, records, left_out: leftOut } = toRecording(rows, app);
  const left = leftOut ? formatLeftOut(leftOut) : '';
  if (!records) {
    view.setSaved('Nothing to export:' + left, true);
    return;
  }
  if (!myapp) {
    view.setSaved('Cannot save: this page is not running inside a myapp window.', true);
    return;
  }
  $('b-export').disabled = true;
  view.setSaved('Saving ' + records + ' rows…');
  try {
    const path = await myapp.invoke('plugin:inspector|save', { text });
    view.setSaved('Saved ' + records + (records === 1 ? ' row' : ' rows') + ' to ' + path + (left ? ';' + left : ''));
  } catch (e) {
    view.setSaved('Export failed: ' + failure(e), true);
  } finally {
    $('b-export').disabled = false;
  }
});

function formatLeftOut(n) {
  return ' ' + n + (n === 1 ? ' row' : ' rows') + ' left out (message cut or not kept)';
}

// ----- the table and the detail pane --------------------------------------------------------

const tbody = $('rows');
tbody.addEventListener('click', (e) => {
  const tr = e.target.closest('tr.row');
  if (!tr) return;
  const seq = Number(tr.dataset.seq);
  if (e.target.classList.contains('pick')) {
    view.setChecked(seq, e.target.checked);
    return;
  }
  if (e.target.closest('.c-pick')) return; // a click beside the box
  view.select(seq);
});

$('pick-all').addEventListener('click', () => view.toggleAllChecked());

$('detail').addEventListener('click', (e) => {
  const goto = e.target.closest('[data-goto]');
  if (goto) {
    view.select(Number(goto.dataset.goto), { scroll: true });
    return;
  }
  const action = e.target.closest('[data-action]');
  if (!action) return;
  if (action.dataset.action === 'close') view.select(null);
  else if (action.dataset.action === 'show-all') view.showAllPayload();
});

$('table-wrap').addEventListener('keydown', (e) => {
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    view.moveSelection(e.key === 'ArrowDown' ? 1 : -1);
  } else if (e.key === 'End') {
    e.preventDefault();
    view.moveSelection(Infinity);
  } else if (e.key === 'Home') {
    e.preventDefault();
    view.moveSelection(-Infinity);
  }
});

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && view.selected !== null && !e.target.closest('input, select')) view.select(null);
});

// calls/s falls when nothing arrives: redraw the status line now and then.
setInterval(() => view.schedule(), 500);

// ----- watching -------------------------------------------------------------------------------

async function watch() {
  if (!myapp) {
    view.setMessage('window.__MYAPP__ is missing: open the inspector from a myapp app.', true);
    return;
  }
  const channel = new myapp.Channel((frame) => {
    if (typeof frame === 'string') {
      try {
        frame = JSON.parse(frame);
      } catch {
        return;
      }
    }
    view.noteChanges(model.applyFrame(frame));
  });
  try {
    const info = await myapp.invoke('plugin:inspector|watch', { onUpdate: channel });
    if (info && typeof info === 'object') {
      if (typeof info.app === 'string' && info.app) app = info.app;
      document.title = 'IPC inspector — ' + app;
      $('app-name').textContent = app;
      const dropped = model.setMaxRows(info.maxRows);
      // Frames may have come first, with a newer list of windows.
      if (!model.windows.length) model.setWindows(info.windows);
      view.held = typeof info.held === 'number' ? info.held : 0;
      view.noteChanges({ added: [], updated: new Set(), dropped, windowsChanged: true });
    }
  } catch (e) {
    view.setMessage('Cannot watch the IPC: ' + failure(e), true);
  }
}

view.schedule();
watch();
