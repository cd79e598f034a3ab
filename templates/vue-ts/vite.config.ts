/// <reference types="vitest" />
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The app loads the dev server's pages in `myapp dev` (with hot module replacement), and dist/
// compiled in otherwise.
export default defineConfig({
  plugins: [vue()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { outDir: 'dist', target: 'es2020', emptyOutDir: true },
  resolve: {
    // Code written for Tauri imports @tauri-apps/api/core, /event, /window, ...: the modules of
    // @myapp/api of the same names answer it (docs/porting-from-tauri.md).
    alias: [{ find: /^@tauri-apps\/api(?=\/|$)/, replacement: '@myapp/api' }],
  },
  // `npm test`: the frontend's unit tests, against a mocked backend (@myapp/api/mocks), no
  // webview needed. The browser-level tests in tests/ run with `npm run test:app`.
  test: { include: ['src/**/*.test.ts'] },
});
