// Lesson 10 (primer, building models 4): hyper-parameter tuning and data-split strategies.
/** @type {import('./index.js').Lesson} */
export default {
  id: 'tuning',
  title: { en: 'Hyper-parameter tuning and data splits', zh: '超参数调优与数据集划分策略' },
  summary: {
    en: 'Hold-out and K-fold cross-validation to score a setting honestly, and a search over settings in parallel workers.',
    zh: '用留出法和 K 折交叉验证诚实地评估一组设置，并在并行的工作线程中搜索设置。',
  },
  steps: [
    {
      state: { data: { kind: 'moons', n: 200, noise: 0.35, seed: 8 }, test_ratio: 0.2, model: { kind: 'knn', n_neighbors: 1 } },
      text: {
        en: String.raw`The hold-out method keeps a test share aside and scores on it once. With few points that score depends on which points happened to land in the test set. K-fold cross-validation splits the data into $K$ folds, trains $K$ times (each fold is the test once) and reports $\bar s = \frac1K\sum_{k=1}^{K} s_k$ with its spread. Run it in the Cross-validation section on the right.`,
        zh: String.raw`留出法留出一部分作为测试集，只在上面评估一次。点少时，这个分数取决于哪些点恰好分进了测试集。K 折交叉验证法把数据分成 $K$ 折，训练 $K$ 次（每一折轮流做一次测试集），报告 $\bar s = \frac1K\sum_{k=1}^{K} s_k$ 及其波动。在右侧的“交叉验证”部分运行它。`,
      },
      highlight: 'test_ratio',
    },
    {
      state: {
        data: { kind: 'moons', n: 200, noise: 0.35, seed: 8 },
        model: { kind: 'knn', n_neighbors: 1 },
        tune: { space: [{ path: 'n_neighbors', type: 'int', low: 1, high: 50, log: true }], strategy: { kind: 'random' }, trials: 20, k: 5, seed: 1 },
      },
      text: {
        en: String.raw`$k$ is a hyper-parameter: it is not learned from the data, it is chosen. Tuning tries settings and scores each by cross-validation: grid search tries every combination, random search draws them, Bayesian optimisation fits a model of the score and tries where improvement is likely, a genetic algorithm breeds the best ones. Start the search in the Tune panel under the plot, then “Use best”.`,
        zh: String.raw`$k$ 是一个超参数：它不是从数据中学到的，而是选出来的。超参数调优尝试各种设置，用交叉验证给每一组打分：网格搜索尝试所有组合，随机搜索法随机抽取，贝叶斯优化法拟合分数的模型并在可能提升的地方尝试，遗传算法让最好的设置“繁殖”。在图下方的“超参数调优”部分开始搜索，然后点“使用最佳”。`,
      },
      highlight: 'model.n_neighbors',
      task: { en: 'Choose k (by tuning or by hand) so that the test accuracy exceeds 0.85.', zh: '选出 k（用调优或手动），使测试集准确率超过 0.85。' },
      check: { all: [{ metric: 'test.accuracy', op: '>', value: 0.85 }, { state: 'model.n_neighbors', op: '>', value: 1 }] },
      solution: { state: { model: { n_neighbors: 15 } } },
    },
  ],
};
