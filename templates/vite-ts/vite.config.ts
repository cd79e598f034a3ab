import { defineConfig } from 'vite';

// The app loads the dev server's pages in `myapp dev`, and dist/ compiled in otherwise.
export default defineConfig({
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { outDir: 'dist', target: 'es2020', emptyOutDir: true },
});
