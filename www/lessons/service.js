// Lesson 12 (primer, core concepts 1): a model as a service — a trained model saved, exported and
// answering requests elsewhere.
/** @type {import('./index.js').Lesson} */
export default {
  id: 'service',
  title: { en: 'A model as a service', zh: '模型即服务' },
  summary: {
    en: 'A trained model leaves the playground: a model file, ONNX for a server, a Python script, and a link that reproduces everything.',
    zh: '训练好的模型离开游乐场：模型文件、供服务器使用的 ONNX、Python 脚本，以及能重现一切的链接。',
  },
  steps: [
    {
      state: {
        data: { kind: 'moons', n: 300, noise: 0.2, seed: 9 },
        model: { kind: 'mlp', hidden_layers: [{ neurons: 8, activation: 'tanh' }], train: { learning_rate: 0.03, optimizer: { kind: 'adam' } } },
        steps_per_frame: 20,
      },
      text: {
        en: String.raw`As a service, a model deployed on computing resources answers many requests: each request sends features $x$, the service returns $\hat y = f(x)$. Training happens once; prediction happens every time. The four steps are data preparation, model building, training and evaluation — then the model is exported with its preparation (imputer, rescaling) so that the server feeds it raw features.`,
        zh: String.raw`作为服务，部署在计算资源上的模型回答大量请求：每个请求发送特征 $x$，服务返回 $\hat y = f(x)$。训练只做一次，预测每次都做。四个步骤是数据准备、模型构建、模型训练和模型评估——然后把模型连同数据准备（缺失值填补、缩放）一起导出，服务器就可以直接输入原始特征。`,
      },
      highlight: '#export-onnx',
      task: { en: 'Train until the test accuracy exceeds 0.9, then export the model as ONNX.', zh: '训练到测试集准确率超过 0.9，然后把模型导出为 ONNX。' },
      check: { all: [{ metric: 'test.accuracy', op: '>', value: 0.9 }, { action: 'onnx' }] },
      solution: { state: {}, epochs: 300, actions: ['onnx'] },
    },
    {
      state: {
        data: { kind: 'moons', n: 300, noise: 0.2, seed: 9 },
        model: { kind: 'logistic', features: { x1: true, x2: true, x1_squared: true, x2_squared: true, x1_x2: true, sin_x1: true, sin_x2: true } },
      },
      text: {
        en: String.raw`The same model can be handed on in other forms: “Save model” writes a versioned JSON file that “Open model…” reads back; “Copy as Python” gives a script that rebuilds it with scikit-learn and numpy and predicts the same numbers; “Copy link” puts the whole state (data, settings, your edits) in a URL, and a page can embed it with one tag: <ml-playground state="…">.`,
        zh: String.raw`同一个模型还能以其他形式交出去：“保存模型”写出带版本号的 JSON 文件，“打开模型…”可以读回；“复制为 Python”给出一段用 scikit-learn 和 numpy 重建模型、预测出相同数字的脚本；“复制链接”把整个状态（数据、设置、你的修改）放进一个网址，网页只需一个标签就能嵌入它：<ml-playground state="…">。`,
      },
      highlight: '#copy-python',
      task: { en: 'Copy the model as Python (or save the model file).', zh: '把模型复制为 Python（或保存模型文件）。' },
      check: { all: [{ action: 'export' }] },
      solution: { state: {}, actions: ['export'] },
    },
  ],
};
