// The isolation hook of the smoke check with app.security.isolation (isolation.conf.json): lets
// everything through, and marks the page so the test can see it ran.
globalThis.__MYAPP_ISOLATION_HOOK__ = (m) => m;
