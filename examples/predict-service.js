// The caller's side of examples/predict-service.html: it puts the playground's service page
// (predict-frame.html) in an iframe on the other host name of the same server, a second origin,
// waits for its `ml-playground-ready`, and asks it for predictions with postMessage:
//   → { type: 'predict', id, rows }        ← { type: 'predictions', id, task, classes, values }
//                                          ← { type: 'predict-error', id, code, values, message }
const frame = /** @type {HTMLIFrameElement} */ (document.getElementById('service'));
const other = new URL('predict-frame.html', location.href);
other.hostname = location.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
frame.src = other.href;

let nextId = 1;
const waiting = new Map();
window.ready = false;

window.addEventListener('message', (event) => {
  if (event.origin !== other.origin) return; // only the service's answers
  const msg = event.data;
  if (msg?.type === 'ml-playground-ready') {
    window.ready = true;
    document.getElementById('predict').disabled = false;
    document.getElementById('status').textContent = 'Ready.';
  } else if (waiting.has(msg?.id)) {
    waiting.get(msg.id)(msg);
    waiting.delete(msg.id);
  }
});

/** Asks the service for predictions on `rows`; resolves with its reply. */
window.predict = (rows) =>
  new Promise((resolve) => {
    const id = nextId++;
    waiting.set(id, resolve);
    frame.contentWindow.postMessage({ type: 'predict', id, rows }, other.origin);
  });

document.getElementById('ask').addEventListener('submit', async (event) => {
  event.preventDefault();
  let rows;
  try {
    rows = JSON.parse(document.getElementById('rows').value);
  } catch (err) {
    document.getElementById('answer').textContent = `Not JSON: ${err.message}`;
    return;
  }
  const reply = await window.predict(rows);
  document.getElementById('answer').textContent = reply.type === 'predictions'
    ? reply.values.map((v, i) => `${JSON.stringify(rows[i])} → ${v.map((p) => p.toFixed(4)).join(', ')}`).join('\n')
    : `${reply.code}: ${reply.message}`;
});
