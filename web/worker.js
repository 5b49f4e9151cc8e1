// Tessera's trainer worker: loads Go's wasm_exec.js and the page's own
// binary, /web/app.wasm, which runs the trainer when it finds itself in a
// worker (wasm/app). The URL is the page's, so the browser reuses the copy
// it already has (a revalidated 304, or go-app's service worker cache)
// instead of downloading a second binary.
// Messages that arrive before Go is ready are queued, then handed over.
// The page starts the leader; for data-parallel pretraining the leader
// starts replica workers with this same script, named "replica" (the Go
// program picks its role from self.name; see wasm/worker/replicas.go).
"use strict";
importScripts("/wasm_exec.js");

const pending = [];
self.onmessage = (e) => pending.push(e.data);

// Called by Go once its handler exists.
self.tesseraAttach = (handler) => {
  self.onmessage = (e) => handler(e.data);
  for (const data of pending.splice(0)) handler(data);
};

function postError(message) {
  self.postMessage({ kind: "Error", json: JSON.stringify({ message }), buffers: [] });
}

// IndexedDB: one record, the autosaved run.
const DB = "tessera", STORE = "run", KEY = "current";
function openDB() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
async function withStore(mode, f) {
  const db = await openDB();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = f(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}
self.tesseraStore = {
  put: (rec) => withStore("readwrite", (s) => s.put(rec, KEY)),
  get: () => withStore("readonly", (s) => s.get(KEY)),
  clear: () => withStore("readwrite", (s) => s.delete(KEY)),
};

const go = new Go();
WebAssembly.instantiateStreaming(fetch("/web/app.wasm"), go.importObject)
  .then((result) => go.run(result.instance))
  .then(() => postError(self.name === "replica"
    ? "its Go program exited"
    : "the trainer stopped unexpectedly; reload the page"))
  .catch((err) => postError((self.name === "replica" ? "the replica" : "the trainer") + " failed to start: " + err));
