// One Tessera training worker: the Go program bench/worker (built to
// tessera-bench.wasm) registers globalThis.tesseraBench; this file relays
// the page's messages to it. Replies keep the order of the requests.
importScripts('wasm_exec.js');
const go = new Go();
const ready = WebAssembly.instantiateStreaming(fetch('tessera-bench.wasm'), go.importObject)
  .then((r) => { go.run(r.instance); });

onmessage = async (e) => {
  await ready;
  const m = e.data, api = globalThis.tesseraBench;
  switch (m.cmd) {
    case 'init':
      postMessage({ cmd: m.cmd, params: api.init(m.index, m.workers, m.seed, m.task || '') });
      break;
    case 'share':
      api.share(new Uint8Array(m.slots), new Int32Array(m.ctrl));
      postMessage({ cmd: m.cmd });
      break;
    case 'run':
      postMessage({ cmd: m.cmd, loss: api.run(m.steps) });
      break;
    case 'grad': {
      const r = api.grad();
      postMessage({ cmd: m.cmd, loss: r.loss, grad: r.grad }, [r.grad.buffer]);
      break;
    }
    case 'apply': // no reply: the next request follows in order
      api.apply(m.avg);
      break;
    case 'checksum':
      postMessage({ cmd: m.cmd, sum: api.checksum(), times: api.times() });
      break;
  }
};
