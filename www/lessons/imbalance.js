// Lesson 9 (primer, building models 4): class imbalance — class weights, under- and over-sampling, SMOTE.
/** @type {import('./index.js').Lesson} */
export default {
  id: 'imbalance',
  title: { en: 'Class imbalance', zh: '样本不平衡' },
  summary: {
    en: 'When one class is rare, accuracy flatters the model; class weights and resampling make the rare class count.',
    zh: '某一类很少时，准确率会美化模型；类别权重与重采样让少数类也被重视。',
  },
  steps: [
    {
      state: { data: { kind: 'imbalanced', n: 400, noise: 0.35, seed: 2, ratio: 0.1 }, model: { kind: 'logistic' } },
      text: {
        en: String.raw`One class is ten times rarer. Calling everything the majority class already scores about 0.9 accuracy, so look at the recall of each class and the balanced accuracy $\frac12\bigl(\frac{TP}{TP+FN} + \frac{TN}{TN+FP}\bigr)$. Class-weight adjustment weighs each point by $w_c = \frac{n}{k\,n_c}$ in the loss, so both classes count as much in total.`,
        zh: String.raw`其中一类少了十倍。把所有点都判为多数类就已经有约 0.9 的准确率，所以要看每一类的召回率和平衡准确率 $\frac12\bigl(\frac{TP}{TP+FN} + \frac{TN}{TN+FP}\bigr)$。类别权重调整在损失里给每个点乘上 $w_c = \frac{n}{k\,n_c}$，使两类的总权重相同。`,
      },
      highlight: 'model.class_weight',
      task: { en: 'Make the test balanced accuracy exceed 0.85.', zh: '让测试集平衡准确率超过 0.85。' },
      check: { all: [{ metric: 'test.balanced_accuracy', op: '>', value: 0.85 }] },
      solution: { state: { model: { class_weight: 'balanced' } } },
    },
    {
      state: { data: { kind: 'imbalanced', n: 400, noise: 0.35, seed: 2, ratio: 0.1 }, model: { kind: 'tree', max_depth: 3 } },
      text: {
        en: String.raw`Instead of weights, the training rows can be rebalanced: under-sampling drops majority rows, over-sampling repeats minority rows, and SMOTE makes new minority points on the segments between a point and one of its $k$ nearest minority neighbours: $x' = x_i + u\,(x_j - x_i)$, $u \in [0, 1]$ (drawn as triangles). Only the training rows change; the test set keeps its real proportions.`,
        zh: String.raw`除了加权法，还可以重新平衡训练行：欠采样法丢掉多数类的行，过采样法重复少数类的行，SMOTE 在一个少数类点与它的 $k$ 个最近少数类邻居之间的线段上生成新点：$x' = x_i + u\,(x_j - x_i)$，$u \in [0, 1]$（画成三角形）。只改变训练行；测试集保持真实的比例。`,
      },
      highlight: 'data.resample',
      task: { en: 'Rebalance the training rows so that the test balanced accuracy exceeds 0.85.', zh: '重新平衡训练行，使测试集平衡准确率超过 0.85。' },
      check: { all: [{ state: 'data.resample.kind', op: '!=', value: 'none' }, { metric: 'test.balanced_accuracy', op: '>', value: 0.85 }] },
      solution: { state: { data: { resample: { kind: 'smote', neighbours: 5 } } }, epochs: 100 },
    },
  ],
};
