// Lesson 3 (primer, core algorithms 3): decision trees, splits by impurity, and pruning.
/** @type {import('./index.js').Lesson} */
export default {
  id: 'tree',
  title: { en: 'Decision trees and pruning', zh: '决策树与剪枝' },
  summary: {
    en: 'Splitting the plane box by box to lower the Gini impurity, and pruning back what does not help.',
    zh: '逐块切分平面以降低基尼不纯度，再剪掉没有帮助的子树。',
  },
  steps: [
    {
      state: { data: { kind: 'circle', n: 200, noise: 0.1, seed: 3 }, model: { kind: 'tree', max_depth: 1 } },
      text: {
        en: String.raw`A decision tree splits the input space into boxes, one question $x_j \le t$ at a time. Each split is the one that lowers the impurity most; the Gini impurity of a box with class shares $p_k$ is $G = 1 - \sum_k p_k^2$ (0 for a pure box). With depth 1 there is a single split.`,
        zh: String.raw`决策树一次问一个问题 $x_j \le t$，把输入空间切成一个个方块。每次选择使不纯度下降最多的切分；类别比例为 $p_k$ 的方块，基尼不纯度为 $G = 1 - \sum_k p_k^2$（纯方块为 0）。深度为 1 时只有一次切分。`,
      },
      highlight: 'model.max_depth',
      task: { en: 'Let the tree grow deeper until the test accuracy exceeds 0.9.', zh: '让树长得更深，直到测试集准确率超过 0.9。' },
      check: { all: [{ metric: 'test.accuracy', op: '>', value: 0.9 }] },
      solution: { state: { model: { max_depth: 6 } }, epochs: 100 },
    },
    {
      state: { data: { kind: 'moons', n: 300, noise: 0.45, seed: 7 }, model: { kind: 'tree' } },
      text: {
        en: String.raw`Without limits the tree grows until every leaf is pure: it learns the noise, and train accuracy (1.0) is far above test. Cost-complexity pruning removes subtrees whose gain is worth less than $\alpha$ per leaf: it minimises $R(T) + \alpha\,|T|$, where $|T|$ is the number of leaves.`,
        zh: String.raw`不加限制时，树会一直长到每个叶结点都是纯的：它学到了噪声，训练准确率（1.0）远高于测试。代价复杂度剪枝去掉那些每个叶结点的收益不值 $\alpha$ 的子树：它最小化 $R(T) + \alpha\,|T|$，$|T|$ 是叶结点数。`,
      },
      highlight: 'model.ccp_alpha',
      task: { en: 'Prune (α > 0) until the tree has a test accuracy above 0.85.', zh: '剪枝（α > 0），使测试集准确率高于 0.85。' },
      check: { all: [{ metric: 'test.accuracy', op: '>', value: 0.85 }, { state: 'model.ccp_alpha', op: '>', value: 0 }] },
      solution: { state: { model: { ccp_alpha: 0.01 } }, epochs: 1000 },
    },
  ],
};
