// Lesson 11 (primer, building models 4): model compression (pruning, structure freezing) and
// distillation (several small models averaged).
/** @type {import('./index.js').Lesson} */
export default {
  id: 'compression',
  title: { en: 'Compression and distillation', zh: '模型压缩与模型蒸馏' },
  summary: {
    en: 'How many parameters a model needs, freezing part of its structure, and several small models averaged instead of one large one.',
    zh: '模型需要多少参数、冻结部分结构，以及用多个小模型的平均代替一个大模型。',
  },
  steps: [
    {
      state: {
        data: { kind: 'moons', n: 300, noise: 0.2, seed: 3 },
        model: { kind: 'mlp', hidden_layers: [{ neurons: 32, activation: 'tanh' }, { neurons: 32, activation: 'tanh' }], train: { learning_rate: 0.03, optimizer: { kind: 'adam' } } },
        steps_per_frame: 20,
      },
      text: {
        en: String.raw`A network with layer widths $n_0, n_1, \dots, n_L$ has $\sum_{l=1}^{L} (n_{l-1} + 1)\, n_l$ weights and biases: this one (2 → 32 → 32 → 2) has 1,218. Model compression asks how few suffice: pruning sets the smallest weights to zero, quantisation stores them in 8 bits or fewer. Often a much smaller network does as well.`,
        zh: String.raw`层宽为 $n_0, n_1, \dots, n_L$ 的网络共有 $\sum_{l=1}^{L} (n_{l-1} + 1)\, n_l$ 个权重和偏置：这个网络（2 → 32 → 32 → 2）有 1218 个。模型压缩要问的是：最少需要多少？模型裁剪把最小的权重置零，量化用 8 位或更少来存储它们。往往小得多的网络也一样好。`,
      },
      highlight: 'model.hidden_layers',
      task: { en: 'Reach a test accuracy above 0.9 with one hidden layer of at most 4 neurons.', zh: '只用一个最多 4 个神经元的隐藏层，让测试集准确率超过 0.9。' },
      check: { all: [{ metric: 'test.accuracy', op: '>', value: 0.9 }, { state: 'model.hidden_layers.length', op: '==', value: 1 }, { state: 'model.hidden_layers.0.neurons', op: '<=', value: 4 }] },
      solution: { state: { model: { hidden_layers: [{ neurons: 4, activation: 'tanh' }] } }, epochs: 400 },
    },
    {
      state: {
        data: { kind: 'moons', n: 300, noise: 0.3, seed: 3 },
        model: { kind: 'ensemble', members: 5, bootstrap: true, hidden_layers: [{ neurons: 4, activation: 'tanh' }], train: { learning_rate: 0.03, optimizer: { kind: 'adam' } } },
        steps_per_frame: 10,
      },
      text: {
        en: String.raw`Model distillation, as the primer describes it, trains several small models and averages them: $p(x) = \frac1M \sum_{m=1}^{M} p_m(x)$. Each small network sees its own bootstrap sample, so their errors differ and partly cancel in the average. (Knowledge distillation instead trains one small student on a large teacher's softened outputs.)`,
        zh: String.raw`按本书的说法，模型蒸馏是训练多个小模型并取平均：$p(x) = \frac1M \sum_{m=1}^{M} p_m(x)$。每个小网络看到自己的自助采样，它们的误差各不相同，在平均中部分抵消。（知识蒸馏则是让一个小的学生模型学习大的教师模型软化后的输出。）`,
      },
      highlight: 'model.members',
      task: { en: 'Train the ensemble until its test accuracy exceeds 0.85.', zh: '训练这个集成模型，直到测试集准确率超过 0.85。' },
      check: { all: [{ metric: 'test.accuracy', op: '>', value: 0.85 }] },
      solution: { state: {}, epochs: 300 },
    },
  ],
};
