// The Qt web channel: opening it, then handing what the host delivers to `onDeliver` and
// flushing what waited for the connection. It runs where qt.webChannelTransport is: the page's
// world, or the isolation world (client/isolation.js).

  // Opens the web channel; once it is open, the queue (the hello first) goes out.
  function connect() {
    const qt = globalThis.qt;
    if (qt && qt.webChannelTransport && typeof globalThis.QWebChannel === 'function') {
      try {
        new globalThis.QWebChannel(qt.webChannelTransport, (channel) => {
          const obj = channel && channel.objects && channel.objects.myapp;
          if (!obj) {
            fail('the web channel has no "myapp" object: this page is not served by a myapp webview');
            return;
          }
          bridge = obj;
          bridge.deliver.connect(onDeliver);
          flush(); // hello, plus anything invoked while connecting
        });
      } catch (e) {
        fail('could not open the web channel: ' + errorText(e));
      }
    } else {
      fail('qt.webChannelTransport is missing: this page is not running inside a myapp webview');
    }
  }
