// The isolation hook of the runtime tests (window "guarded"): records every message it sees,
// refuses `forbidden` and the event `secret`, and shouts `echo`'s text.
globalThis.__MYAPP_ISOLATION_HOOK__ = (m) => {
  (globalThis.seen = globalThis.seen || []).push(m.kind + ':' + (m.cmd || m.event || m.id || m.channel));
  if (m.kind === 'invoke' && m.cmd === 'forbidden') throw new Error('not from this page');
  if (m.kind === 'emit' && m.event === 'secret') return null;
  if (m.kind === 'invoke' && m.cmd === 'echo' && typeof m.args.text === 'string') m.args.text = m.args.text.toUpperCase();
  if (m.kind === 'invoke' && m.cmd === 'digest') globalThis.sawBytes = m.args.data instanceof Uint8Array ? m.args.data.length : -1;
  return m;
};
