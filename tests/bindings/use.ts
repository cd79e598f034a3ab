// Type-level tests of the generated bindings (run.sh tsc): typed calls compile, and every
// misuse marked @ts-expect-error must fail to compile, or tsc reports the unused directive.
import { Channel } from '@myapp/api';
import { commands, events } from './expected';
import type { CommandErrors, Folder, Note, Progress, Tag } from './expected';

export async function typed(): Promise<void> {
  const greeting: string = await commands.greet({ name: 'Ada' });
  await commands.ping();
  const id: number = await commands.saveNote({
    id: 1, title: 't', tags: [{ name: 'x' }], scores: { a: 1 }, extra: null,
    thumbnail: new ArrayBuffer(1),
  });
  const found: Note[] = await commands.find({ query: { text: 'a', fuzzy: false } });
  await commands.find({ query: { text: 'a', limit: 3, fuzzy: true }, folderName: null });
  const tree: Folder = await commands.tree();
  const loggedIn: boolean = await commands.login({ user: 'ada' }).catch((e: Tag) => e.name === '');
  await commands.logout();
  const size: number = await commands.upload(new Uint8Array([1, 2]), { headers: { Authorization: 'k' } });
  await commands.upload(new ArrayBuffer(3));
  const child: Folder | undefined = tree.children[0];
  const maybe: Tag | null = await commands.maybe();
  await commands.maybe({ x: 1, t: { name: 'n', colorHex: null } });
  const table: Record<string, boolean> = await commands.tables({
    byKey: { a: ['b'] }, gaps: [1, null], grid: [[{ weight: 1 }]],
  });
  const anything: unknown = await commands.anything({ value: { any: 'thing' }, nothing: null });
  const image: ArrayBuffer = await commands.thumbnail({
    image: new Uint8Array(4), parts: [new ArrayBuffer(2), new DataView(new ArrayBuffer(1))],
  });
  const progress = new Channel<Progress>((p) => { const done: number = p.done; void done; });
  const chunks = new Channel<ArrayBuffer>();
  await commands.exportAll({ progress, chunks });
  const synced: boolean = await commands.notesSyncAll({ force: true });
  const sum: number = await commands.numbers({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 0.5, j: 1.5, k: true });
  await commands.delete({ id: 3 }, { signal: new AbortController().signal, headers: { a: 'b' } });
  const code: CommandErrors['find'] = 'find.too_many';
  const unlisten = await events.listen('notes/sync-progress', (e) => {
    const total: number = e.payload.total;
    void total;
  });
  unlisten();
  await events.once('notes_changed', (e) => { const first: Note | undefined = e.payload[0]; void first; });
  await events.emit('app:ready', 'now');
  await events.emitTo('main', 'notes_changed', []);
  void [greeting, id, found, child, maybe, table, anything, image, synced, sum, code, loggedIn, size];
}

export async function misuse(): Promise<void> {
  // @ts-expect-error: name is a string
  await commands.greet({ name: 1 });
  // @ts-expect-error: name is required
  await commands.greet({});
  // @ts-expect-error: the result is a string
  const n: number = await commands.greet({ name: 'x' });
  // @ts-expect-error: no such command
  await commands.nope();
  // @ts-expect-error: a struct's required field is missing
  await commands.find({ query: { fuzzy: true } });
  // @ts-expect-error: the whole-struct command takes a Note, not named args
  await commands.saveNote({ note: {} });
  // @ts-expect-error: the channel carries Progress frames
  await commands.exportAll({ progress: new Channel<string>(), chunks: new Channel<ArrayBuffer>() });
  // @ts-expect-error: bytes, not a string
  await commands.thumbnail({ image: 'abc', parts: [] });
  // @ts-expect-error: a returned buffer is an ArrayBuffer, not a view
  const view: Uint8Array = await commands.thumbnail({ image: new ArrayBuffer(0), parts: [] });
  // @ts-expect-error: the payload of app:ready is a string
  await events.emit('app:ready', 42);
  // @ts-expect-error: an event that is not declared
  await events.listen('nope', () => {});
  // @ts-expect-error: upload takes a raw body, not JSON arguments
  await commands.upload({ data: 'abc' });
  // @ts-expect-error: not an error code greet declares
  const code: CommandErrors['greet'] = 'greet.other';
  void [n, view, code];
}
