
(function () {
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:99999;overflow:auto;padding:1.5rem;" +
        "background:rgba(20,20,20,.94);color:#fff;font:14px/1.6 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "Build failed. The last good site is still served.\n\n" + text;
  }
  var source = new EventSource("/__handbook/events");
  var seen = null;
  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (!state.ok) { show(state.errors); return; }
    // a build's next version names the pages it changed: a tab showing none of them stays as it is
    var mine = !state.pages || state.version !== seen + 1 || state.pages.indexOf(location.pathname) >= 0 ||
      state.pages.indexOf(location.pathname.replace(/index\.html$/, "")) >= 0;
    if (seen !== null && state.version !== seen && mine) { location.reload(); return; }
    if (overlay) { overlay.remove(); overlay = null; }
    seen = state.version;
  };
})();
