//! The words drawn on canvases ("epoch", "loss", "hidden 2", "AUC = 0.91", …), by key, with their
//! English defaults. The page sets them from its message catalog (`setWords` in the web layer) when
//! its language changes, so no drawing code holds a sentence to translate. A message may hold
//! `{name}` places that [`word_with`] fills.
//!
//! The table is per thread (the page draws on its main thread's instance): drawing stays a pure
//! function of its inputs and the current words.

use std::cell::RefCell;
use std::collections::HashMap;

/// Every key with its English text. The page's catalogs hold each key as `canvas.<key>`.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("axis.epoch", "epoch"),
    ("axis.refit", "refit"),
    ("axis.loss", "loss"),
    ("axis.loss_log", "loss (log scale)"),
    ("axis.step", "step"),
    ("axis.learning_rate", "learning rate"),
    ("axis.score", "score"),
    ("axis.ccp_alpha", "ccp_alpha"),
    ("axis.ccp_alpha_log", "ccp_alpha (log scale)"),
    ("axis.fpr", "false positive rate"),
    ("axis.tpr", "true positive rate"),
    ("axis.recall", "recall"),
    ("axis.precision", "precision"),
    ("axis.sigmoid_x", "z = w·φ(x) + b"),
    ("axis.sigmoid_y", "P(class 1) = σ(z)"),
    ("axis.clusters", "clusters k"),
    ("axis.inertia", "inertia"),
    ("axis.silhouette", "silhouette"),
    ("legend.train", "train"),
    ("legend.test", "test"),
    ("axis.trial", "trial"),
    ("legend.trial", "trial"),
    ("legend.best_so_far", "best so far"),
    ("axis.generation", "generation"),
    ("legend.member", "member"),
    ("legend.elite", "elite (carried over)"),
    ("legend.best_of_generation", "best of the generation"),
    ("chart.rate_at", "step {step}: {rate}"),
    ("chart.auc", "AUC = {value}"),
    ("chart.ap", "AP = {value}"),
    ("class", "class {n}"),
    ("network.input", "input"),
    ("network.input_short", "in"),
    ("network.output", "output"),
    ("network.output_short", "out"),
    ("network.hidden", "hidden {n}"),
    ("network.hidden_short", "h{n}"),
    ("network.features", "{n} features"),
    ("network.feature", "1 feature"),
    ("network.frozen", "frozen"),
    ("network.not_set_up", "the network is set up at the first step"),
    ("tree.not_grown", "the tree has not been grown yet"),
    ("tree.yes", "yes"),
    ("tree.no", "no"),
    ("tree.leaf", "leaf"),
    ("tree.impurity", "impurity"),
    ("tree.gini", "gini"),
    ("tree.entropy", "entropy"),
    ("tree.mse", "mse"),
    ("tree.samples", "samples = {n}"),
    ("tree.mean", "mean = {value}"),
];

/// Longest text accepted for one word (a damaged catalog cannot make a canvas draw a novel).
const MAX_WORD_CHARS: usize = 200;

thread_local! {
    static WORDS: RefCell<HashMap<&'static str, String>> = RefCell::new(HashMap::new());
}

fn default_of(key: &str) -> Option<(&'static str, &'static str)> {
    DEFAULTS.iter().copied().find(|(k, _)| *k == key)
}

/// The current text of `key` (its English default until the page sets another; the key itself
/// for a key that does not exist, which a test keeps from happening).
pub fn word(key: &str) -> String {
    let Some((key, english)) = default_of(key) else { return key.to_string() };
    WORDS.with(|w| w.borrow().get(key).cloned()).unwrap_or_else(|| english.to_string())
}

/// [`word`] with each `{name}` replaced by its value.
pub fn word_with(key: &str, values: &[(&str, &str)]) -> String {
    let mut text = word(key);
    for (name, value) in values {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// Sets the words of the given keys (known keys only, each at most 200 characters; an empty text
/// goes back to the English default). Returns the keys that were not known.
pub fn set_words<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<String> {
    let mut unknown = Vec::new();
    WORDS.with(|w| {
        let mut words = w.borrow_mut();
        for (key, text) in pairs {
            match default_of(key) {
                Some((key, _)) if text.is_empty() => {
                    words.remove(key);
                }
                Some((key, _)) => {
                    words.insert(key, text.chars().take(MAX_WORD_CHARS).collect());
                }
                None => unknown.push(key.to_string()),
            }
        }
    });
    unknown
}

/// Back to every English default.
pub fn reset_words() {
    WORDS.with(|w| w.borrow_mut().clear());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_placeholders_and_setting() {
        reset_words();
        assert_eq!(word("axis.epoch"), "epoch");
        assert_eq!(word_with("network.hidden", &[("n", "2")]), "hidden 2");
        assert_eq!(set_words([("axis.epoch", "轮次"), ("no.such", "x")]), ["no.such"]);
        assert_eq!(word("axis.epoch"), "轮次");
        set_words([("axis.epoch", "")]);
        assert_eq!(word("axis.epoch"), "epoch");
        let long = "长".repeat(500);
        set_words([("axis.loss", long.as_str())]);
        assert_eq!(word("axis.loss").chars().count(), 200);
        reset_words();
        assert_eq!(word("unknown.key"), "unknown.key");
        let mut keys: Vec<_> = DEFAULTS.iter().map(|(k, _)| k).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), DEFAULTS.len(), "no key twice");
    }
}
