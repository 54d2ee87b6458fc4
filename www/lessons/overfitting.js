// Lesson 6 (primer, core concepts 3): regularisation and over-fitting, train against test.
/** @type {import('./index.js').Lesson} */
export default {
  id: 'overfitting',
  title: { en: 'Regularisation and over-fitting', zh: '正则化与过拟合' },
  summary: {
    en: 'A model that memorises its training points, the gap between train and test, and a penalty that closes it.',
    zh: '记住了训练点的模型、训练集与测试集之间的差距，以及缩小差距的正则化项。',
  },
  steps: [
    {
      state: { data: { kind: 'sine', n: 30, noise: 0.25, seed: 11 }, test_ratio: 0.5, model: { kind: 'linear', degree: 9 } },
      text: {
        en: String.raw`Fifteen training points and a polynomial of degree 9: the curve passes close to every filled point but swings wildly between them, so the test points (rings) are missed. That is over-fitting: train MSE far below test MSE.

Ridge regression adds a penalty on the weights: it minimises $\frac1N\sum_i (y_i-\hat y_i)^2 + \lambda \sum_k w_k^2$. Larger $\lambda$, smoother curve.`,
        zh: String.raw`十五个训练点、九次多项式：曲线几乎穿过每个实心点，但在点与点之间剧烈摆动，于是测试点（空心圆）都偏得很远。这就是过拟合：训练集均方误差远低于测试集。

岭回归在损失上加了权重的正则化项：最小化 $\frac1N\sum_i (y_i-\hat y_i)^2 + \lambda \sum_k w_k^2$。$\lambda$ 越大，曲线越平滑。`,
      },
      highlight: 'model.ridge',
      task: { en: 'Keep degree 9 and make the test R² exceed 0.7.', zh: '保持九次多项式，让测试集 R² 超过 0.7。' },
      check: { all: [{ metric: 'test.r2', op: '>', value: 0.7 }, { state: 'model.degree', op: '==', value: 9 }] },
      solution: { state: { model: { ridge: 0.001 } } },
    },
    {
      state: {
        data: { kind: 'moons', n: 120, noise: 0.35, seed: 3 },
        test_ratio: 0.5,
        model: { kind: 'mlp', hidden_layers: [{ neurons: 32, activation: 'relu' }, { neurons: 32, activation: 'relu' }], l2: 0, train: { learning_rate: 0.03, optimizer: { kind: 'adam' } } },
        steps_per_frame: 20,
      },
      text: {
        en: String.raw`A large network on few noisy points: press Play and watch the two loss curves part — train keeps falling while test turns up. An L2 term $\lambda \sum w^2$ in the loss (weight decay) pulls every weight towards 0 at each step; L1, $\lambda \sum |w|$, pushes small weights to exactly 0.`,
        zh: String.raw`少量带噪声的数据配一个大网络：点击“运行”，看两条损失曲线分开——训练损失一直下降，测试损失却开始上升。损失中的 L2 项 $\lambda \sum w^2$（权重衰减）每一步都把权重拉向 0；L1 项 $\lambda \sum |w|$ 把小权重推到恰好为 0。`,
      },
      highlight: 'model.l2',
      task: { en: 'Add an L2 penalty and train 300 epochs or more with a test accuracy above 0.85.', zh: '加上 L2 正则化，训练至少 300 轮，使测试集准确率高于 0.85。' },
      check: { all: [{ state: 'model.l2', op: '>', value: 0 }, { metric: 'epoch', op: '>=', value: 300 }, { metric: 'test.accuracy', op: '>', value: 0.85 }] },
      solution: { state: { model: { l2: 0.01 } }, epochs: 300 },
    },
  ],
};
