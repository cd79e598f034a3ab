// The isolation hook of the IPC benchmark's window "bench-isolated" (docs/benchmarks.md): what an
// app's hook typically does, an allowlist of the commands its pages may call; the rest passes.
const ALLOWED = new Set(['echo_small', 'echo', 'emit_events', 'stream', 'stream_text']);
globalThis.__MYAPP_ISOLATION_HOOK__ = (m) => (m.kind !== 'invoke' || ALLOWED.has(m.cmd) ? m : null);
