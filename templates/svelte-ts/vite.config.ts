/// <reference types="vitest" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The app loads the dev server's pages in `myapp dev` (with hot module replacement), and dist/
// compiled in otherwise.
export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { outDir: 'dist', target: 'es2020', emptyOutDir: true },
  resolve: {
    // Code written for Tauri imports @tauri-apps/api/core, /event, /window, ...: the modules of
    // @myapp/api of the same names answer it (docs/porting-from-tauri.md).
    alias: [{ find: /^@tauri-apps\/api(?=\/|$)/, replacement: '@myapp/api' }],
    // Vitest runs in Node, where Svelte would resolve to its server build: components mounted
    // in the unit tests need the browser one.
    conditions: mode === 'test' ? ['browser'] : [],
  },
  // `npm test`: the frontend's unit tests, against a mocked backend (@myapp/api/mocks), no
  // webview needed. The browser-level tests in tests/ run with `npm run test:app`.
  test: { include: ['src/**/*.test.ts'] },
}));
