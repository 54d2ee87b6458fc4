//! The support vector machine in standard ONNX operators and float64, as `predict` computes it
//! (`ai.onnx.ml`'s `SVMClassifier` works in float32 and couples two classes' probabilities by
//! iterating where `predict` takes Platt's directly, so it is not used):
//!
//! - the kernel of each row against the support vectors (`MatMul` for the dot products; RBF from
//!   `‖x‖² + ‖s‖² − 2 x·s`, floored at 0, as `predict`);
//! - each pair's decision value `Σ coef · K − ρ` (one `MatMul` by a support vectors × pairs
//!   matrix), output `decision` in scikit-learn's orientation;
//! - Platt's `P(first class) = σ(−(A f + B))` kept inside `[1e-7, 1 − 1e-7]`;
//! - two classes: `[p, 1 − p]`; more: libsvm's `multiclass_probability` (Wu, Lin & Weng 2004) in a
//!   `Loop` of `max(100, k)` rounds, each row's updates switched off (a step of 0) once its
//!   largest violation is below `0.005 / k`, where `predict` stops that row;
//! - the classes without a machine (absent from training) get 0, as in `predict`.

use super::{attr_int, untrained, value_info, Extra, Graph};
use crate::error::Result;
use crate::export::proto::*;
use crate::model::svm::{Kernel, Svm};
use crate::model::Model;

impl Graph {
    pub(super) fn svm(&mut self, x: &str, m: &Svm, extra: &mut Vec<Extra>) -> Result<(String, usize)> {
        if !m.is_trained() {
            return Err(untrained());
        }
        let (d, k) = (m.n_features(), m.n_classes());
        let support = m.support_vectors();
        let n_sv = support.len() / d.max(1);
        let pairs = m.pairs();
        let params = m.params();
        let (gamma, coef0) = (m.gamma(), params.coef0);
        // the dot products [N, n_sv]
        let transposed: Vec<f64> = (0..d).flat_map(|j| (0..n_sv).map(move |s| support[s * d + j])).collect();
        let sv_t = self.constant("support_t", &[d, n_sv], &transposed);
        let dot = self.op("MatMul", &[x, &sv_t], vec![]);
        let scaled = |g: &mut Graph| {
            let gamma = g.constant("gamma", &[], &[gamma]);
            let coef0 = g.constant("coef0", &[], &[coef0]);
            let product = g.op("Mul", &[&gamma, &dot], vec![]);
            g.op("Add", &[&product, &coef0], vec![])
        };
        let kernel = match params.kernel {
            Kernel::Linear => dot.clone(),
            Kernel::Poly => {
                let base = scaled(self);
                let degree = self.constant("degree", &[], &[params.degree as f64]);
                self.op("Pow", &[&base, &degree], vec![])
            }
            Kernel::Sigmoid => {
                let base = scaled(self);
                self.op("Tanh", &[&base], vec![])
            }
            Kernel::Rbf => {
                let squares = self.op("Mul", &[x, x], vec![]);
                let xx = self.reduce_sum(&squares, &[1], true);
                let sv_sq: Vec<f64> = support.chunks_exact(d.max(1)).map(|r| r.iter().map(|v| v * v).sum()).collect();
                let ss = self.constant("support_sq", &[1, n_sv], &sv_sq);
                let two = self.constant("two", &[], &[2.0]);
                let twice = self.op("Mul", &[&two, &dot], vec![]);
                let sum = self.op("Add", &[&xx, &ss], vec![]);
                let gap = self.op("Sub", &[&sum, &twice], vec![]);
                let zero = self.constant("zero", &[], &[0.0]);
                let floored = self.op("Max", &[&gap, &zero], vec![]);
                let minus_gamma = self.constant("minus_gamma", &[], &[-gamma]);
                let exponent = self.op("Mul", &[&minus_gamma, &floored], vec![]);
                self.op("Exp", &[&exponent], vec![])
            }
        };
        // each pair's f = Σ coef K − ρ, [N, pairs]
        let n_pairs = pairs.len();
        let mut coef = vec![0.0; n_sv * n_pairs];
        for (p, pair) in pairs.iter().enumerate() {
            for (&s, &c) in pair.sv.iter().zip(&pair.coef) {
                if s < n_sv {
                    coef[s * n_pairs + p] = c;
                }
            }
        }
        let coef = self.constant("dual_coef", &[n_sv, n_pairs], &coef);
        let rho: Vec<f64> = pairs.iter().map(|p| -p.rho).collect();
        let rho = self.constant("minus_rho", &[n_pairs], &rho);
        let sums = self.op("MatMul", &[&kernel, &coef], vec![]);
        let f = self.op("Add", &[&sums, &rho], vec![]);
        if m.is_regression() {
            // ε-SVR: the one machine's value is the prediction
            return Ok((self.back_to_float(&f), 1));
        }
        let sign = self.constant("sign", &[], &[if n_pairs == 1 && k == 2 { -1.0 } else { 1.0 }]);
        let decision = self.op("Mul", &[&f, &sign], vec![]);
        // Platt: σ(−(A f + B)), clipped
        let a: Vec<f64> = pairs.iter().map(|p| -p.platt.0).collect();
        let b: Vec<f64> = pairs.iter().map(|p| -p.platt.1).collect();
        let a = self.constant("minus_platt_a", &[n_pairs], &a);
        let b = self.constant("minus_platt_b", &[n_pairs], &b);
        let af = self.op("Mul", &[&f, &a], vec![]);
        let z = self.op("Add", &[&af, &b], vec![]);
        let q = self.op("Sigmoid", &[&z], vec![]);
        let low = self.constant("low", &[], &[1e-7]);
        let high = self.constant("high", &[], &[1.0 - 1e-7]);
        let raised = self.op("Max", &[&q, &low], vec![]);
        let q = self.op("Min", &[&raised, &high], vec![]);
        // the classes that have machines, and where each goes among the k outputs
        let mut present: Vec<usize> = pairs.iter().flat_map(|p| [p.classes.0, p.classes.1]).collect();
        present.sort_unstable();
        present.dedup();
        let slots = present.len();
        let slot = |c: usize| present.binary_search(&c).unwrap_or(0);
        let mut place = vec![0.0; slots * k];
        for (s, &c) in present.iter().enumerate() {
            if c < k {
                place[s * k + c] = 1.0;
            }
        }
        let probabilities = if slots == 2 {
            let one = self.constant("one", &[], &[1.0]);
            let other = self.op("Sub", &[&one, &q], vec![]);
            self.concat(&[q, other])
        } else {
            let pair_slots: Vec<(usize, usize)> =
                pairs.iter().map(|p| (slot(p.classes.0), slot(p.classes.1))).collect();
            self.couple(&q, &pair_slots, slots)
        };
        let place = self.constant("place", &[slots, k], &place);
        let y = self.op("MatMul", &[&probabilities, &place], vec![]);
        let decision = self.op("Cast", &[&decision], vec![attr_int("to", FLOAT as i64)]);
        extra.push(Extra { value: decision, name: "decision", width: Some(n_pairs) });
        Ok((self.back_to_float(&y), k))
    }

    /// libsvm's `multiclass_probability` per row from the pairwise `q` `[N, pairs]` (`q` of the
    /// pair `(a, b)` is `r[a][b]`, `1 − q` is `r[b][a]`), over `m` classes: `[N, m]`.
    fn couple(&mut self, q: &str, pairs: &[(usize, usize)], m: usize) -> String {
        let n_pairs = pairs.len();
        // Q (flattened m × m per row) = (1 − q)² M₁ + q² M₂ + q(1 − q) M₃
        let (mut first, mut second, mut cross) =
            (vec![0.0; n_pairs * m * m], vec![0.0; n_pairs * m * m], vec![0.0; n_pairs * m * m]);
        for (p, &(a, b)) in pairs.iter().enumerate() {
            let at = |i: usize, j: usize| p * m * m + i * m + j;
            first[at(a, a)] = 1.0; // Q[a][a] += r[b][a]²
            second[at(b, b)] = 1.0; // Q[b][b] += r[a][b]²
            cross[at(a, b)] = -1.0; // Q[a][b] = −r[b][a] r[a][b]
            cross[at(b, a)] = -1.0;
        }
        let one = self.constant("one", &[], &[1.0]);
        let other = self.op("Sub", &[&one, q], vec![]);
        let other_sq = self.op("Mul", &[&other, &other], vec![]);
        let q_sq = self.op("Mul", &[q, q], vec![]);
        let both = self.op("Mul", &[q, &other], vec![]);
        let mut terms = Vec::new();
        for (values, matrix) in [(&other_sq, first), (&q_sq, second), (&both, cross)] {
            let c = self.constant("coupling", &[n_pairs, m * m], &matrix);
            terms.push(self.op("MatMul", &[values, &c], vec![]));
        }
        let partial = self.op("Add", &[&terms[0], &terms[1]], vec![]);
        let big_q = self.op("Add", &[&partial, &terms[2]], vec![]);
        // p = 1/m; qp = Q p; pqp = p·qp
        let shape = self.indices(&[0, m, m]);
        let q3 = self.op("Reshape", &[&big_q, &shape], vec![]);
        let zero = self.constant("zero", &[], &[0.0]);
        let start = self.constant("start", &[1, m], &vec![1.0 / m as f64; m]);
        let zeros = self.reduce_sum(&q3, &[2], false);
        let zeros = self.op("Mul", &[&zeros, &zero], vec![]);
        let p0 = self.op("Add", &[&zeros, &start], vec![]);
        let qp0 = self.batched_times(&q3, &p0);
        let pqp0 = self.dot_rows(&p0, &qp0);
        // constants the loop's body reads from the outer graph
        let eps = self.constant("eps", &[], &[0.005 / m as f64]);
        let qtt: Vec<String> = (0..m).map(|t| self.indices(&[t * m + t])).collect();
        let qrow: Vec<String> = (0..m).map(|t| self.indices(&(t * m..(t + 1) * m).collect::<Vec<_>>())).collect();
        let cols: Vec<String> = (0..m).map(|t| self.indices(&[t])).collect();
        let units: Vec<String> = (0..m)
            .map(|t| {
                let mut e = vec![0.0; m];
                e[t] = 1.0;
                self.constant("unit", &[m], &e)
            })
            .collect();
        let two = self.constant("two", &[], &[2.0]);
        let minus_one = self.constant("minus_one", &[], &[-1.0]);
        // the body: (i, cond, p, qp, pqp) → (cond, p, qp, pqp)
        let outer = std::mem::take(&mut self.nodes);
        let (i_in, cond_in, p_in, qp_in, pqp_in) =
            (self.fresh("i"), self.fresh("cond"), self.fresh("p"), self.fresh("qp"), self.fresh("pqp"));
        let gap = self.op("Sub", &[&qp_in, &pqp_in], vec![]);
        let gap = self.op("Abs", &[&gap], vec![]);
        let worst = self.op("ReduceMax", &[&gap], vec![attr_int("keepdims", 1), attr_ints("axes", vec![1])]);
        let settled = self.op("Less", &[&worst, &eps], vec![]);
        let moving = self.op("Not", &[&settled], vec![]);
        let (mut p, mut qp, mut pqp) = (p_in.clone(), qp_in.clone(), pqp_in.clone());
        for t in 0..m {
            let q_tt = self.op("Gather", &[&big_q, &qtt[t]], vec![attr_int("axis", 1)]);
            let q_t = self.op("Gather", &[&big_q, &qrow[t]], vec![attr_int("axis", 1)]);
            let qp_t = self.op("Gather", &[&qp, &cols[t]], vec![attr_int("axis", 1)]);
            // diff = (−qp[t] + pqp) / Q[t][t], 0 for a settled row
            let neg = self.op("Mul", &[&qp_t, &minus_one], vec![]);
            let num = self.op("Add", &[&neg, &pqp], vec![]);
            let raw = self.op("Div", &[&num, &q_tt], vec![]);
            let diff = self.op("Where", &[&moving, &raw, &zero], vec![]);
            // p[t] += diff
            let bump = self.op("Mul", &[&diff, &units[t]], vec![]);
            p = self.op("Add", &[&p, &bump], vec![]);
            // pqp = (pqp + diff (diff Q[t][t] + 2 qp[t])) / (1 + diff) / (1 + diff)
            let one_plus = self.op("Add", &[&diff, &one], vec![]);
            let dq = self.op("Mul", &[&diff, &q_tt], vec![]);
            let twice = self.op("Mul", &[&two, &qp_t], vec![]);
            let inner = self.op("Add", &[&dq, &twice], vec![]);
            let term = self.op("Mul", &[&diff, &inner], vec![]);
            let total = self.op("Add", &[&pqp, &term], vec![]);
            let once = self.op("Div", &[&total, &one_plus], vec![]);
            pqp = self.op("Div", &[&once, &one_plus], vec![]);
            // qp = (qp + diff Q[t]) / (1 + diff); p /= 1 + diff
            let shift = self.op("Mul", &[&diff, &q_t], vec![]);
            let moved = self.op("Add", &[&qp, &shift], vec![]);
            qp = self.op("Div", &[&moved, &one_plus], vec![]);
            p = self.op("Div", &[&p, &one_plus], vec![]);
        }
        let cond_out = self.op("Identity", &[&cond_in], vec![]);
        let (p_out, qp_out, pqp_out) = (
            self.op("Identity", &[&p], vec![]),
            self.op("Identity", &[&qp], vec![]),
            self.op("Identity", &[&pqp], vec![]),
        );
        let body_nodes = std::mem::replace(&mut self.nodes, outer);
        let rows = |name: &str, width: usize| value_info(name, DOUBLE, &[None, Some(width)]);
        let body = GraphProto {
            node: body_nodes,
            name: "coupling".into(),
            initializer: vec![],
            input: vec![
                value_info(&i_in, INT64, &[]),
                value_info(&cond_in, BOOL, &[]),
                rows(&p_in, m),
                rows(&qp_in, m),
                rows(&pqp_in, 1),
            ],
            output: vec![value_info(&cond_out, BOOL, &[]), rows(&p_out, m), rows(&qp_out, m), rows(&pqp_out, 1)],
        };
        let rounds = self.fresh("rounds");
        self.initializers.push(TensorProto {
            dims: vec![],
            data_type: INT64,
            int64_data: vec![m.max(100) as i64],
            name: rounds.clone(),
            ..Default::default()
        });
        let go = self.fresh("go");
        self.initializers.push(TensorProto {
            dims: vec![],
            data_type: BOOL,
            int32_data: vec![1],
            name: go.clone(),
            ..Default::default()
        });
        let graph = AttributeProto { name: "body".into(), g: Some(body), r#type: ATTR_GRAPH, ..Default::default() };
        let out = self.op_n("Loop", &[&rounds, &go, &p0, &qp0, &pqp0], vec![graph], 3);
        out[0].clone()
    }

    /// `Q p` per row: `q3` `[N, m, m]`, `p` `[N, m]` → `[N, m]`.
    fn batched_times(&mut self, q3: &str, p: &str) -> String {
        let column = self.unsqueeze(p, &[2]);
        let product = self.op("MatMul", &[q3, &column], vec![]);
        let axes = self.indices(&[2]);
        self.op("Squeeze", &[&product, &axes], vec![])
    }

    /// `Σ a b` per row, `[N, 1]`.
    fn dot_rows(&mut self, a: &str, b: &str) -> String {
        let product = self.op("Mul", &[a, b], vec![]);
        self.reduce_sum(&product, &[1], true)
    }
}

fn attr_ints(name: &str, ints: Vec<i64>) -> AttributeProto {
    super::attr_ints(name, ints)
}
