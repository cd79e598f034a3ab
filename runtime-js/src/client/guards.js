// What the page's world may not do and Chromium handles badly: opening windows. The app creates
// windows (WebviewWindow, or C++); the host refuses every window a page asks for, so
// window.open() returns null at once, as a blocked popup does, instead of asking Chromium for a
// window it will not get (with the DevTools Protocol attached, as under `myapp test`, that
// request leaves the renderer spinning). Links with target="_blank" are refused the same way.

  function refuseWindow(what) {
    console.warn('myapp: ' + what + ' refused: windows are created by the app ' +
      '(WebviewWindow from @myapp/api/webviewWindow, or C++)');
  }

  try {
    Object.defineProperty(globalThis, 'open', {
      value: function open(url) {
        refuseWindow('window.open(' + (url === undefined ? '' : JSON.stringify(String(url)).slice(0, 200)) + ')');
        return null;
      },
      writable: true,
      configurable: true,
    });
  } catch (e) {
    // A world without a window (the node tests): nothing to guard.
  }
  if (typeof document !== 'undefined' && document && typeof document.addEventListener === 'function') {
    document.addEventListener('click', (e) => {
      const a = e.target && typeof e.target.closest === 'function' ? e.target.closest('a[target]') : null;
      if (a && String(a.target).toLowerCase() === '_blank') {
        e.preventDefault();
        refuseWindow('a link to ' + JSON.stringify(String(a.href)).slice(0, 200) + ' in a new window');
      }
    }, true);
  }
