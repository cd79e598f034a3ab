window.__appSecret = "the app's own script";
