// TensorFlow.js 4.22 on the reference net (a classic script, so that both
// the page and a worker can load it; it defines self.tfjsBench), written with tf ops (NHWC, as
// TF.js stores images): conv3×3 'same' + bias → ReLU → 2×2 max pool, three
// times (16, 32, 64 channels), flatten, dense 10; softmax cross-entropy,
// tf.train.momentum(0.01, 0.9), optimizer.minimize per step of 32 images.
//
// The wasm backend of 4.22 has no Conv2DBackpropFilter kernel, so tf.conv2d
// cannot be trained on it. There, the convolution is a tf.customGrad whose
// gradients are forward convolutions (tf.conv2d, XNNPACK), the fastest of
// the constructions we timed on this backend:
//
//	dx = conv2d(dy, W flipped in space with in/out swapped, 'same')
//	dW[i, j, c, o] = Σ_{n,y,x} xpad[n, y+i, x+j, c] · dy[n, y, x, o]
//	   = conv2d(xpad as (C, H+2, W+2, N), dy as a (H, W, N, O) filter, 'valid')
//
// (dx is skipped for the first layer, as Tessera skips it.) Timed at the
// second conv's shapes on a loaded 2-core machine: dx 4 ms this way against
// 64 ms for tf.conv2dTranspose (the wasm Conv2DBackpropInput kernel); dW
// 14 ms against 90 ms for im2col (pad, 9 slices, concat) + tf.matMul with
// transposeA, or 40 ms with an explicit transpose.
(() => {
const BATCH = 32;


// filterGrad is dW (HWIO, 3×3) of a stride-1 'same' convolution.
function filterGrad(tf, x, dy) {
  const xp = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
  const g = tf.conv2d(tf.transpose(xp, [3, 1, 2, 0]), tf.transpose(dy, [1, 2, 0, 3]), 1, 'valid'); // (C, 3, 3, O)
  return tf.transpose(g, [1, 2, 0, 3]);
}

// inputGrad is dx of a stride-1 'same' 3×3 convolution: the correlation of
// dy with the kernel flipped in space, its in and out channels swapped.
function inputGrad(tf, dy, w) {
  return tf.conv2d(dy, tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]), 1, 'same');
}

function customConv(tf, first) {
  return tf.customGrad((x, w, save) => {
    save([x, w]);
    return {
      value: tf.conv2d(x, w, 1, 'same'),
      gradFunc: (dy, [x, w]) => [first ? tf.zerosLike(x) : inputGrad(tf, dy, w), filterGrad(tf, x, dy)],
    };
  });
}

// checkGrads verifies both gradients with the identities
// ⟨dW, W⟩ = ⟨dy, conv(x, W)⟩ = ⟨dx, x⟩ (the convolution is linear in W and
// in x) and returns the larger error relative to ‖dy‖·‖conv(x, W)‖ (the
// Cauchy–Schwarz bound of the inner products, so cancellation in a sum near
// zero cannot inflate it).
function checkGrads(tf) {
  return tf.tidy(() => {
    const x = tf.randomNormal([2, 8, 8, 3]), wt = tf.randomNormal([3, 3, 3, 4]), dy = tf.randomNormal([2, 8, 8, 4]);
    const dot = (a, b) => tf.sum(tf.mul(a, b)).dataSync()[0];
    const y = tf.conv2d(x, wt, 1, 'same');
    const ref = dot(dy, y), scale = tf.norm(dy).dataSync()[0] * tf.norm(y).dataSync()[0];
    const err = (v) => Math.abs(v - ref) / scale;
    return Math.max(err(dot(filterGrad(tf, x, dy), wt)), err(dot(inputGrad(tf, dy, wt), x)));
  });
}

// makeRunner builds the net and returns {label, steps(k), info()}; tf (and,
// for 'wasm', its wasm backend) is loaded. `where` names the thread it runs on.
async function makeRunner(tf, backend, threads, where) {
  let customGrads = false;
  if (backend === 'wasm') {
    tf.wasm.setWasmPaths(new URL('lib/', location.href).href);
    if (threads === 0) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // the SIMD binary without threads
    else tf.wasm.setThreadsCount(threads);
    customGrads = true;
  }
  if (!(await tf.setBackend(backend))) throw new Error('TF.js backend ' + backend + ' did not start');
  await tf.ready();

  const he = (shape, fanIn) => tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn)));
  const layers = [[3, 16], [16, 32], [32, 64]].map(([c, o], i) => ({
    w: he([3, 3, c, o], 9 * c), b: tf.variable(tf.zeros([o])),
    conv: customGrads ? customConv(tf, i === 0) : (x, w) => tf.conv2d(x, w, 1, 'same'),
  }));
  const fc = { w: he([4 * 4 * 64, 10], 4 * 4 * 64), b: tf.variable(tf.zeros([10])) };
  const vars = [...layers.flatMap((l) => [l.w, l.b]), fc.w, fc.b];
  const x = tf.randomUniform([BATCH, 32, 32, 3]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: BATCH }, (_, i) => (i * 7) % 10), 'int32'), 10);
  const predict = () => {
    let h = x;
    for (const l of layers) h = tf.maxPool(tf.relu(tf.add(l.conv(h, l.w), l.b)), 2, 2, 'valid');
    return tf.add(tf.matMul(tf.reshape(h, [BATCH, -1]), fc.w), fc.b);
  };
  const opt = tf.train.momentum(0.01, 0.9);
  const step = () => {
    const cost = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, predict()), true, vars);
    const l = cost.dataSync()[0];
    cost.dispose();
    return l;
  };
  const check = customGrads ? checkGrads(tf) : null;
  // profile times the parts of a step (ms, median of 3): the forward pass
  // with the loss, and per convolution the dW and dx computations at the
  // reference shapes, to show where TF.js's step goes.
  const profile = () => {
    const time = (f) => {
      const ts = [];
      for (let r = 0; r < 3; r++) {
        const t0 = performance.now();
        tf.tidy(() => { const o = f(); (Array.isArray(o) ? o : [o]).forEach((t) => t.dataSync()); });
        ts.push(performance.now() - t0);
      }
      return +ts.sort((a, b) => a - b)[1].toFixed(2);
    };
    const p = { forwardLoss: time(() => tf.losses.softmaxCrossEntropy(y, predict())) };
    [[3, 16, 32], [16, 32, 16], [32, 64, 8]].forEach(([c, o, sz], i) => {
      const xi = tf.randomNormal([BATCH, sz, sz, c]), dy = tf.randomNormal([BATCH, sz, sz, o]);
      p[`conv${i + 1}Forward`] = time(() => tf.conv2d(xi, layers[i].w, 1, 'same'));
      p[`conv${i + 1}dW`] = customGrads ? time(() => filterGrad(tf, xi, dy))
        : time(() => tf.grad((w) => tf.sum(tf.mul(tf.conv2d(xi, w, 1, 'same'), dy)))(layers[i].w));
      if (i > 0) p[`conv${i + 1}dx`] = time(() => customGrads ? inputGrad(tf, dy, layers[i].w) : tf.conv2dTranspose(dy, layers[i].w, xi.shape, 1, 'same'));
      xi.dispose(); dy.dispose();
    });
    return p;
  };
  const label = backend === 'wasm'
    ? `TF.js 4.22 wasm SIMD, ${threads === 0 ? 'unthreaded binary' : `setThreadsCount(${threads})`} (conv grads as tf.conv2d)${where === 'worker' ? ', in a Web Worker' : ''}`
    : 'TF.js 4.22 cpu';
  return {
    label,
    steps: async (k) => { let l; for (let s = 0; s < k; s++) l = step(); return l; },
    info: async () => ({
      backend: tf.getBackend(),
      simd: backend === 'wasm' ? await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') : undefined,
      multithread: backend === 'wasm' ? await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') : undefined,
      threads: backend === 'wasm' ? tf.wasm.getThreadsCount() : 1,
      filterGradCheck: check,
      profileMs: profile(),
      tensors: tf.memory().numTensors,
    }),
  };
}

self.tfjsBench = { makeRunner };
})();
