// Browses folders through `list_folder` and streams a file through `read_file`: the file's
// bytes arrive as ArrayBuffer frames on a channel, each followed by a {done, total} progress
// frame. C++ checks every path against the window's scope (permissions/files.json).
const { invoke, Channel } = window.__MYAPP__;

const $ = (id) => document.getElementById(id);
const PREVIEW_BYTES = 64 * 1024;

let folder = null;      // the listing on screen
let reading = null;     // { controller } of the file being read

function showError(err) {
  $('error').textContent = err ? `${err.code ?? 'error'}: ${err.message}` : '';
}

function formatSize(n) {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = -1;
  do { v /= 1024; u += 1; } while (v >= 1024 && u < units.length - 1);
  return `${v.toFixed(1)} ${units[u]}`;
}

// CRC-32 (IEEE), updated chunk by chunk, so the page never holds the whole file.
const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(crc, bytes) {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i += 1) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

async function openFolder(path) {
  showError(null);
  try {
    folder = await invoke('list_folder', { path });
  } catch (err) {
    showError(err);
    return;
  }
  $('path').value = folder.path;
  $('up').disabled = folder.parent == null;
  $('entries').replaceChildren(...folder.entries.map((e) => {
    const li = document.createElement('li');
    li.className = e.kind;
    li.dataset.name = e.name;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = e.name;
    const size = document.createElement('span');
    size.className = 'size';
    size.textContent = e.kind === 'file' ? formatSize(e.size) : '';
    li.append(name, size);
    const full = folder.path === '/' ? `/${e.name}` : `${folder.path}/${e.name}`;
    if (e.kind === 'folder') li.addEventListener('click', () => openFolder(full));
    if (e.kind === 'file') li.addEventListener('click', () => openFile(full, li));
    return li;
  }));
  if (folder.truncated) showError({ code: 'viewer.truncated', message: 'only the first 10,000 entries are shown' });
}

async function openFile(path, li) {
  reading?.controller.abort();
  showError(null);
  for (const other of document.querySelectorAll('#entries li.open')) other.classList.remove('open');
  li?.classList.add('open');

  const controller = new AbortController();
  const mine = { controller };
  reading = mine;
  const preview = new Uint8Array(PREVIEW_BYTES);
  let previewLength = 0;
  let crc = 0;
  let received = 0;
  let frames = 0;
  let updates = 0;

  $('viewer').hidden = false;
  $('viewer').dataset.state = 'reading';
  $('file-name').textContent = path;
  $('progress').value = 0;
  $('status').textContent = 'starting…';
  $('size').textContent = '';
  $('crc').textContent = '';
  $('frames').textContent = '';
  $('preview').textContent = '';
  $('cancel').disabled = false;

  const channel = new Channel((frame) => {
    if (reading !== mine || controller.signal.aborted) return;  // frames already on their way
    if (frame instanceof ArrayBuffer) {
      const bytes = new Uint8Array(frame);
      crc = crc32(crc, bytes);
      received += bytes.length;
      frames += 1;
      const take = Math.min(bytes.length, PREVIEW_BYTES - previewLength);
      if (take > 0) {
        preview.set(bytes.subarray(0, take), previewLength);
        previewLength += take;
      }
    } else {
      updates += 1;
      $('progress').value = frame.total === 0 ? 1 : frame.done / frame.total;
      $('status').textContent = `${formatSize(frame.done)} of ${formatSize(frame.total)}`;
    }
  });

  try {
    const summary = await invoke('read_file', { path, channel }, { signal: controller.signal });
    await channel.closed;  // every frame has been handled
    if (reading !== mine) return;
    $('progress').value = 1;
    $('status').textContent = `done: ${formatSize(summary.size)} in ${summary.chunks} chunks`;
    $('size').textContent = `${summary.size} bytes`;
    $('crc').textContent = crc.toString(16).padStart(8, '0');
    $('frames').textContent = `${frames} of bytes, ${updates} of progress`;
    $('preview').textContent = describe(preview.subarray(0, previewLength), summary.size);
    $('viewer').dataset.state = received === summary.size ? 'done' : 'incomplete';
  } catch (err) {
    if (reading !== mine) return;
    $('viewer').dataset.state = controller.signal.aborted ? 'cancelled' : 'failed';
    $('status').textContent = controller.signal.aborted
      ? `cancelled after ${formatSize(received)}`
      : 'failed';
    if (!controller.signal.aborted) showError(err);
  } finally {
    if (reading === mine) $('cancel').disabled = true;
  }
}

// The start of the file as text when it decodes as UTF-8, else as a hex dump.
function describe(bytes, size) {
  const more = size > bytes.length ? `\n… (${formatSize(size - bytes.length)} more)` : '';
  try {
    // stream: a character cut at the preview's end is not an error
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    if (!/[\u0000-\u0008\u000e-\u001f]/.test(text)) return text + more;
  } catch {
    // not UTF-8: a hex dump instead
  }
  const lines = [];
  for (let off = 0; off < Math.min(bytes.length, 4096); off += 16) {
    const row = Array.from(bytes.subarray(off, off + 16), (b) => b.toString(16).padStart(2, '0'));
    lines.push(`${off.toString(16).padStart(8, '0')}  ${row.join(' ')}`);
  }
  return lines.join('\n') + (size > 4096 ? `\n… (${formatSize(size - Math.min(size, 4096))} more)` : '');
}

$('go-form').addEventListener('submit', (e) => {
  e.preventDefault();
  openFolder($('path').value.trim());
});
$('up').addEventListener('click', () => {
  if (folder?.parent != null) openFolder(folder.parent);
});
$('cancel').addEventListener('click', () => reading?.controller.abort());

invoke('start_folder').then(openFolder, showError);
