// What every page of the page benchmarks (bench/ipc, bench/bytes) shares: the clock, checks,
// medians, and `window.bench.run(name, params)`, through which the C++ driver runs a scenario.
(function () {
  'use strict';

  const now = () => performance.now();

  function median(values) {
    const s = Float64Array.from(values).sort();
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  function check(ok, what) {
    if (!ok) throw new Error(what);
  }

  let makeScenarios = null;

  // Makes `window.bench` over `transport` from the suite's scenarios.
  function serve(transport) {
    const scenarios = makeScenarios(transport);
    window.bench = {
      run(name, params) {
        const scenario = scenarios[name];
        if (!scenario) return Promise.reject(new Error('no scenario named ' + name));
        return scenario(params || {});
      },
    };
  }

  // A suite's scenarios: `make(transport)` returns {name: async (params) => object of numbers}.
  // The same code runs on every page of the suite: only the transport differs. On the myapp page
  // it is `myappTransport(window.__MYAPP__)`, served at once; a naive page calls serve() with its
  // own once it is connected.
  function suite(make, myappTransport) {
    makeScenarios = make;
    const m = window.__MYAPP__;
    if (m) serve(myappTransport(m));
  }

  window.benchHarness = { now, median, check, suite, serve };
})();
