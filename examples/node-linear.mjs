// Runnable example of the JS API in Node 20: fit a polynomial in closed form, watch gradient
// descent converge to the same line, predict a batch, and save / load the model as JSON.
//   node examples/node-linear.mjs          (after `npm run build`)
import { load, Dataset, Model, summaryText } from '../www/api.js';

await load();

// 1. A seeded dataset: 300 noisy points around y = 3·sin(x).
const data = Dataset.generate({ kind: 'sine', n: 300, noise: 0.15, seed: 7 });
const [train, test] = data.split(0.25, 1);
console.log(`data: ${data.length} points (${train.length} train, ${test.length} test)`);

// 2. Closed-form least squares on a degree-5 polynomial.
const poly = new Model({ kind: 'linear', degree: 5 });
poly.fit(train);
const scores = poly.evaluate(test);
console.log(`degree 5, closed form: ${summaryText(poly.summary())}`);
console.log(`test R² = ${scores.r2.toFixed(4)}, RMSE = ${scores.rmse.toFixed(4)}`);

// 3. Gradient descent (Adam) on a straight line, compared with the closed form on the same data.
const line = new Model({ kind: 'linear', degree: 1 });
line.fit(train);
const gd = new Model({
  kind: 'linear',
  degree: 1,
  solver: 'gradient_descent',
  train: { learning_rate: 0.05, batch_size: 0, optimizer: { kind: 'adam' } },
});
let loss = 0;
for (let epoch = 0; epoch < 2000; epoch += 100) loss = gd.step(train, 100);
const a = line.predict(new Float64Array([-4, 0, 4]), 1);
const b = gd.predict(new Float64Array([-4, 0, 4]), 1);
const gap = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
console.log(`gradient descent after 2000 epochs: loss ${loss.toFixed(6)}, largest gap to closed form ${gap.toExponential(2)}`);

// 4. Save and load.
const json = JSON.stringify(poly.toJSON());
const again = Model.fromJSON(json);
const same = again.predict(new Float64Array([1.25]), 1)[0] === poly.predict(new Float64Array([1.25]), 1)[0];
console.log(`saved model: ${json.length} bytes of JSON; reloaded model predicts the same: ${same}`);

// 5. Bad input is an Error with a readable message, never a crash.
try {
  new Model({ kind: 'linear', degree: 40 });
} catch (err) {
  console.log(`refused: [${err.kind}] ${err.message}`);
}
