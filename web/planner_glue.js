// JavaScript side of the browser platform (wasm/platform_web.cpp), linked with
// --js-library. Every function here is called from C++; results come back
// through the exported planner_* C functions.
mergeInto(LibraryManager.library, {
  planner_js_save_file: function (namePtr, mimePtr, dataPtr, size) {
    var name = UTF8ToString(namePtr);
    var mime = UTF8ToString(mimePtr);
    var bytes = HEAPU8.slice(dataPtr, dataPtr + size);
    var blob = new Blob([bytes], { type: mime });
    var url = URL.createObjectURL(blob);
    var a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  },

  planner_js_open_file: function (acceptPtr, requestId) {
    var input = document.createElement('input');
    input.type = 'file';
    input.accept = UTF8ToString(acceptPtr);
    input.style.display = 'none';
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      input.remove();
      if (file) plannerDeliverFile(file, requestId);
    });
    document.body.appendChild(input);
    input.click();
  },

  planner_js_set_clipboard: function (textPtr) {
    var text = UTF8ToString(textPtr);
    plannerClipboard.text = text;
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).catch(function (e) {
        console.warn('Clipboard write refused by the browser: ' + e.message);
      });
    }
  },

  planner_js_set_cursor: function (cursor) {
    // ImGuiMouseCursor_: None=-1, Arrow, TextInput, ResizeAll, ResizeNS, ResizeEW, ResizeNESW, ResizeNWSE, Hand, NotAllowed
    var names = ['default', 'text', 'move', 'ns-resize', 'ew-resize', 'nesw-resize', 'nwse-resize', 'pointer', 'not-allowed'];
    var canvas = document.getElementById('canvas');
    if (canvas) canvas.style.cursor = cursor < 0 ? 'none' : (names[cursor] || 'default');
  },

  planner_js_persist: function (requestId) {
    plannerPersist.request(requestId);
  },

  planner_js_open_url: function (urlPtr) {
    window.open(UTF8ToString(urlPtr), '_blank', 'noopener');
  },

  planner_js_host_description: function () {
    var where = location.protocol === 'file:' ? 'single file (file://)' : location.origin;
    var m = navigator.userAgent.match(/(Firefox|Chrome)\/([0-9]+)/) || navigator.userAgent.match(/(Safari)\/([0-9]+)/);
    var browser = m ? m[1] + ' ' + m[2] : 'browser';
    return allocateUTF8(browser + ', ' + where + ', ' + window.devicePixelRatio + 'x pixels');
  },

  planner_js_locked_elsewhere: function () {
    return Module.plannerReadOnly ? 1 : 0;
  },

  planner_js_mark: function (namePtr) {
    window.planner.timings[UTF8ToString(namePtr)] = Math.round(performance.now());
  },

  planner_js_first_frame: function () {
    plannerFirstFrame();
  },

  planner_js_workspace_shown: function () {
    plannerWorkspaceShown();
  },
});
