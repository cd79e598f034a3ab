import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// Svelte's compiler options; vitePreprocess lets components use <script lang="ts">.
export default {
  preprocess: vitePreprocess(),
};
