// @myapp/api: the package's root module is src/api/index.js (see the README).
export * from './src/api/index.js';
