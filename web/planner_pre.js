// Runs before the module starts (--pre-js): mounts the persistent file system,
// wires clipboard paste and file drop, and defines window.planner, the small
// documented JS surface for automation and tests (see docs/architecture.md).
'use strict';

var plannerClipboard = { text: '' };

function plannerShowError(message) {
  var box = document.getElementById('error');
  if (box) {
    box.textContent = message;
    box.hidden = false;
  }
  var loading = document.getElementById('loading');
  if (loading) loading.hidden = true;
}

function plannerDeliverFile(file, requestId) {
  file.arrayBuffer().then(function (buf) {
    var bytes = new Uint8Array(buf);
    var ptr = Module._malloc(Math.max(bytes.length, 1));
    HEAPU8.set(bytes, ptr);
    var name = allocateUTF8(file.name);
    Module._planner_file_opened(requestId, name, ptr, bytes.length);
    Module._free(name);
    Module._free(ptr);
  });
}

// Persistence: IDBFS writes whole files. Requests made while a sync runs are
// coalesced into one follow-up sync; every request hears the result of a sync
// that started after it was made.
var plannerPersist = {
  running: false,
  waiting: [],
  request: function (id) {
    this.waiting.push(id);
    if (!this.running) this.start();
  },
  start: function () {
    var ids = this.waiting;
    this.waiting = [];
    this.running = true;
    var self = this;
    FS.syncfs(false, function (err) {
      self.running = false;
      var msg = err ? ('IndexedDB write failed: ' + (err.message || err.errno || err)) : '';
      ids.forEach(function (id) {
        if (id === 0) return;
        var m = allocateUTF8(msg);
        Module._planner_persist_done(id, err ? 0 : 1, m);
        Module._free(m);
      });
      if (self.waiting.length) self.start();
    });
  },
};

var plannerReadyResolve;
var plannerStart = performance.now();

function plannerFirstFrame() {
  var loading = document.getElementById('loading');
  if (loading) loading.hidden = true;
  window.planner.firstFrameMs = performance.now();
}

// The first frame that shows the open workspace (the one after the first).
function plannerWorkspaceShown() {
  window.planner.workspaceShownMs = performance.now();
  plannerReadyResolve();
}

window.planner = {
  apiVersion: 1,
  ready: new Promise(function (resolve) { plannerReadyResolve = resolve; }),
  firstFrameMs: null,
  workspaceShownMs: null,
  timings: {},
  state: function () {
    return JSON.parse(UTF8ToString(Module._planner_state_json()));
  },
  // PRAGMA integrity_check of the open workspace's two files: "ok" or the problem.
  integrityCheck: function () {
    return UTF8ToString(Module._planner_integrity_check());
  },
  // Frames painted so far (a frame equal to the one on screen is not painted).
  framesPainted: function () {
    return Module._planner_frames_painted();
  },
  // Input events queued but not yet given to the UI (one key or button change a frame).
  inputPending: function () {
    return Module._planner_input_pending();
  },
  widgets: function () {
    return UTF8ToString(Module._planner_widget_labels()).split('\n').filter(Boolean);
  },
  widgetRect: function (label) {
    var out = Module._malloc(16);
    var name = allocateUTF8(label);
    var found = Module._planner_widget_rect(name, out);
    var f = HEAPF32.subarray(out >> 2, (out >> 2) + 4);
    var rect = null;
    if (found) {
      var c = document.getElementById('canvas').getBoundingClientRect();
      rect = { x: c.left + f[0], y: c.top + f[1], w: f[2], h: f[3] };
    }
    Module._free(name);
    Module._free(out);
    return rect;
  },
};

Module.canvas = document.getElementById('canvas');
Module.print = function (text) { console.log(text); };
Module.printErr = function (text) { console.warn(text); };
Module.onAbort = function (what) {
  plannerShowError('The planner stopped because of an internal error: ' + what +
    '. Your saved work is kept in this browser; reload the page to continue.');
};
Module.preRun = Module.preRun || [];
Module.preRun.push(function () {
  window.planner.timings.preRun = Math.round(performance.now());
  // One writer per browser profile: the first tab takes a Web Lock and keeps it
  // while open; a second tab opens the workspace read-only and says so.
  Module.plannerReadOnly = false;
  if (navigator.locks && navigator.locks.request) {
    addRunDependency('planner-lock');
    navigator.locks.request('change-planner-workspace', { ifAvailable: true }, function (lock) {
      Module.plannerReadOnly = !lock;
      removeRunDependency('planner-lock');
      // Held until the page goes away; the resolver is kept reachable so the
      // pending promise (and with it the lock) cannot be collected.
      if (lock) return new Promise(function (resolve) { window.plannerReleaseLock = resolve; });
      return undefined;
    });
  }
  FS.mkdir('/data');
  FS.mount(IDBFS, {}, '/data');
  addRunDependency('planner-idbfs');
  FS.syncfs(true, function (err) {
    if (err) console.warn('Could not load saved workspaces from IndexedDB: ' + (err.message || err));
    removeRunDependency('planner-idbfs');
  });
});

// Flush to IndexedDB when the tab is hidden or closed (a request id of 0 has
// no C++ listener; the result only matters for the next visit).
function plannerFlushNow() {
  if (!Module.plannerReadOnly && typeof FS !== 'undefined' && Module.calledRun) plannerPersist.request(0);
}
document.addEventListener('visibilitychange', function () {
  if (document.visibilityState === 'hidden') plannerFlushNow();
});
window.addEventListener('pagehide', plannerFlushNow);

document.addEventListener('paste', function (e) {
  var text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
  e.preventDefault();
  plannerClipboard.text = text;
  if (Module._planner_paste) {
    var p = allocateUTF8(text);
    Module._planner_paste(p);
    Module._free(p);
  }
});

document.addEventListener('dragover', function (e) {
  e.preventDefault();
  document.body.classList.add('dropping');
});
document.addEventListener('dragleave', function () { document.body.classList.remove('dropping'); });
document.addEventListener('drop', function (e) {
  e.preventDefault();
  document.body.classList.remove('dropping');
  var files = e.dataTransfer ? e.dataTransfer.files : [];
  for (var i = 0; i < files.length; i++) plannerDeliverFile(files[i], 0);
});

window.addEventListener('error', function (e) {
  plannerShowError('Unexpected error: ' + e.message);
});
