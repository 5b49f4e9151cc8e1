// TensorFlow.js runners: on the page's main thread (tfjsRunner) or in a Web
// Worker (tfjsWorkerRunner: the wasm backend's threads are created from a
// worker, where the thread pool may block while its workers start). The net,
// the training step and the gradient construction are in tfjs-model.js.

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error('cannot load ' + src));
    document.head.appendChild(s);
  });
}

export async function tfjsRunner(backend, threads) {
  await loadScript('lib/tf.min.js');
  if (backend === 'wasm') await loadScript('lib/tf-backend-wasm.min.js');
  await loadScript('tfjs-model.js');
  return self.tfjsBench.makeRunner(window.tf, backend, threads, 'main');
}

export async function tfjsWorkerRunner(threads) {
  const w = new Worker('tfjs-worker.js');
  const pending = [];
  w.onmessage = (e) => {
    const p = pending.shift();
    e.data.error ? p.reject(new Error(e.data.error)) : p.resolve(e.data);
  };
  const call = (msg) => new Promise((resolve, reject) => { pending.push({ resolve, reject }); w.postMessage(msg); });
  const { label } = await call({ cmd: 'init', threads });
  return {
    label,
    steps: async (k) => (await call({ cmd: 'steps', k })).loss,
    info: async () => (await call({ cmd: 'info' })).info,
    close: () => w.terminate(),
  };
}
