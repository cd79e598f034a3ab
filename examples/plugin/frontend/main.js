// The plugin's script ran before this one: `window.kv` is there from the first line. A missing
// plugin is an error during load, which the smoke check reports.
if (!window.kv) throw new Error('the kv plugin is not installed');

const list = document.getElementById('entries');
const error = document.getElementById('error');

async function refresh() {
  const keys = await window.kv.keys();
  const values = await Promise.all(keys.map((k) => window.kv.get(k)));
  list.replaceChildren(...keys.map((k, i) => {
    const li = document.createElement('li');
    li.textContent = `${k} = ${values[i]}`;
    return li;
  }));
}

document.getElementById('set-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  error.textContent = '';
  try {
    await window.kv.set(document.getElementById('key').value, document.getElementById('value').value);
  } catch (err) {
    error.textContent = `${err.code}: ${err.message}`;
  }
});

window.kv.onChanged(() => refresh());
window.kv.set('greeting', 'hello from the page').then(refresh);
