// The list lives in C++ (main.cpp). This page asks for it once, then redraws it from every
// `todos-changed` event, whichever window made the change.
const { invoke, listen, ready, IpcError } = window.__MYAPP__;

const $ = (id) => document.getElementById(id);
let shown = -1; // the revision on screen

function render(snapshot) {
  if (snapshot.revision <= shown) return; // an older snapshot, overtaken by an event
  shown = snapshot.revision;
  const list = $('todos');
  list.replaceChildren(...snapshot.items.map((item) => {
    const li = document.createElement('li');
    li.dataset.id = String(item.id);
    li.classList.toggle('done', item.done);
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = item.done;
    box.setAttribute('aria-label', `done: ${item.text}`);
    box.addEventListener('change', () => call('set_done', { id: item.id, done: box.checked }));
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = item.text;
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'remove';
    remove.textContent = '×';
    remove.setAttribute('aria-label', `remove: ${item.text}`);
    remove.addEventListener('click', () => call('remove_todo', { id: item.id }));
    li.append(box, text, remove);
    return li;
  }));
  const left = snapshot.items.filter((i) => !i.done).length;
  $('count').textContent = `${left} of ${snapshot.items.length} left`;
}

// Calls a command; a refusal (an empty todo, ...) is shown, not thrown.
async function call(command, args) {
  $('error').textContent = '';
  try {
    return await invoke(command, args);
  } catch (e) {
    $('error').textContent = e instanceof IpcError ? `${e.code}: ${e.message}` : String(e);
    return undefined;
  }
}

$('add-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $('new-todo');
  if (await call('add_todo', { text: input.value.trim() }) !== undefined) input.value = '';
});
$('clear-done').addEventListener('click', () => call('clear_done'));

(async () => {
  const { label } = await ready;
  $('window-label').textContent = label;
  // Listen first, then read: a change between the two arrives as an event either way.
  await listen('todos-changed', (event) => render(event.payload));
  render(await invoke('list_todos'));
})();
