//! The support vector machine as numpy: the kernel against the support vectors, each pair's
//! decision value, Platt's sigmoid, and libsvm's coupling of the pairs (written out, short), as
//! `predict` computes them. (scikit-learn's `SVC` would need its private fitted attributes set,
//! which change between versions; the decision function is also written, as `SVC`'s.)

use super::{array, matrix, num, untrained};
use crate::error::Result;
use crate::model::svm::{Kernel, Svm};
use crate::model::Model;
use std::fmt::Write;

pub(super) fn write_svm(s: &mut String, m: &Svm) -> Result<()> {
    if !m.is_trained() {
        return Err(untrained());
    }
    let (d, k) = (m.n_features(), m.n_classes());
    let p = m.params();
    let kernel = match p.kernel {
        Kernel::Linear => "linear",
        Kernel::Poly => "poly",
        Kernel::Rbf => "rbf",
        Kernel::Sigmoid => "sigmoid",
    };
    let _ = writeln!(
        s,
        "kernel = \"{kernel}\"\ngamma = {}\ncoef0 = {}\ndegree = {}\nn_classes = {k}\nregression = {}",
        num(m.gamma()),
        num(p.coef0),
        p.degree,
        if m.is_regression() { "True" } else { "False" }
    );
    let _ = writeln!(s, "# the support vectors (prepared features)\nsupport = {}", matrix(m.support_vectors(), d));
    let n_sv = m.support_vectors().len() / d.max(1);
    s.push_str("# one machine per pair of classes (i, j): f(x) = Σ coef·K(sv, x) − rho, positive for i;\n");
    s.push_str("# Platt's P(i | i or j) = 1 / (1 + exp(A f + B))\npairs = [\n");
    for pair in m.pairs() {
        let mut coef = vec![0.0; n_sv];
        for (&sv, &c) in pair.sv.iter().zip(&pair.coef) {
            if let Some(slot) = coef.get_mut(sv) {
                *slot = c;
            }
        }
        let _ = writeln!(
            s,
            "    dict(classes=({}, {}), coef={}, rho={}, A={}, B={}),",
            pair.classes.0,
            pair.classes.1,
            array(&coef),
            num(pair.rho),
            num(pair.platt.0),
            num(pair.platt.1)
        );
    }
    s.push_str("]\n");
    let mut present: Vec<usize> = m.pairs().iter().flat_map(|p| [p.classes.0, p.classes.1]).collect();
    present.sort_unstable();
    present.dedup();
    let present: Vec<String> = present.iter().map(|c| c.to_string()).collect();
    let _ = writeln!(
        s,
        "# the classes that have machines (the others get probability 0)\npresent = [{}]\n",
        present.join(", ")
    );
    s.push_str(SCRIPT);
    Ok(())
}

const SCRIPT: &str = r#"def kernel_matrix(X):
    dot = X @ support.T
    if kernel == "linear":
        return dot
    if kernel == "poly":
        return (gamma * dot + coef0) ** degree
    if kernel == "sigmoid":
        return np.tanh(gamma * dot + coef0)
    squared = (X * X).sum(axis=1)[:, None] + (support * support).sum(axis=1)[None, :] - 2 * dot
    return np.exp(-gamma * np.maximum(squared, 0))

def pair_values(X):
    """Each pair's f(x), one column per pair, positive for its first class."""
    K = kernel_matrix(prepare(X))
    return np.column_stack([K @ pair["coef"] - pair["rho"] for pair in pairs])

def decision_function(X):
    """scikit-learn's SVC.decision_function (decision_function_shape="ovo")."""
    f = pair_values(X)
    return -f[:, 0] if n_classes == 2 and len(pairs) == 1 else f

def platt(f, A, B):
    z = f * A + B
    p = np.where(z >= 0, np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))), 1 / (1 + np.exp(np.minimum(z, 0))))
    return np.clip(p, 1e-7, 1 - 1e-7)

def couple(r):
    """libsvm's multiclass_probability: class probabilities from r[i, j] = P(i | i or j)."""
    k = len(r)
    Q = np.zeros((k, k))
    for t in range(k):
        for j in range(k):
            if j != t:
                Q[t, t] += r[j, t] * r[j, t]
                Q[t, j] = -r[j, t] * r[t, j]
    p = np.full(k, 1 / k)
    Qp = np.array([sum(Q[t, j] * p[j] for j in range(k)) for t in range(k)])
    pQp = sum(p[t] * Qp[t] for t in range(k))
    for _ in range(max(100, k)):
        if np.max(np.abs(Qp - pQp)) < 0.005 / k:
            break
        for t in range(k):
            diff = (-Qp[t] + pQp) / Q[t, t]
            p[t] += diff
            pQp = (pQp + diff * (diff * Q[t, t] + 2 * Qp[t])) / (1 + diff) / (1 + diff)
            Qp = (Qp + diff * Q[t]) / (1 + diff)
            p = p / (1 + diff)
    return p

def predict(X):
    f = pair_values(X)
    if regression:
        # ε-SVR: the one machine's value is the prediction
        return f[:, :1]
    q = np.column_stack([platt(f[:, i], pair["A"], pair["B"]) for i, pair in enumerate(pairs)])
    out = np.zeros((len(f), n_classes))
    if len(present) == 2:
        out[:, present[0]] = q[:, 0]
        out[:, present[1]] = 1 - q[:, 0]
        return out
    slot = {c: i for i, c in enumerate(present)}
    for row in range(len(f)):
        r = np.zeros((len(present), len(present)))
        for i, pair in enumerate(pairs):
            a, b = slot[pair["classes"][0]], slot[pair["classes"][1]]
            r[a, b], r[b, a] = q[row, i], 1 - q[row, i]
        out[row, present] = couple(r)
    return out
"#;
