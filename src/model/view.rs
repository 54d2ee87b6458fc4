//! A family's own pictures, as plain data: what a trained model shows besides its surface (a
//! tree's diagram and pruning path, a network's diagram and neuron thumbnails, logistic
//! regression's sigmoid view, a support vector machine's ringed support vectors).
//!
//! A family names the views it makes in its descriptor ([`super::describe::Family::views`]) and
//! builds each on request ([`super::Model::view`]) from a [`ViewContext`] the session hands it;
//! `render` draws the values (it predicts nothing) and the page lists them from the descriptor.
//! A new family reuses these kinds (a ring per point of interest on the plot, thumbnails over
//! the plane) with no code outside its file; a new *kind* of picture adds a variant here and its
//! drawing in `render`.

use crate::data::Dataset;
use crate::tagged::tagged_enum;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

/// The kinds of family pictures, as the descriptor lists them and the page keys them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ViewKind {
    /// Every point at its score on the sigmoid (binary logistic regression).
    Sigmoid,
    /// A tree's diagram, linked to the plot.
    Tree,
    /// A tree's cost-complexity pruning path.
    Pruning,
    /// A network's diagram.
    Network,
    /// One small picture per unit over the plane (a network's hidden neurons); fetched on its own
    /// as RGBA (`Session::thumbnails`), not in the views.
    Thumbnails,
    /// Points of interest ringed on the plot (a support vector machine's support vectors).
    Rings,
    /// Centres marked on the plot with the trails they moved along (k-means' centroids).
    Centroids,
    /// A tube of half-width ε around a regression curve, drawn on the plot (ε-SVR's: errors inside
    /// it cost nothing).
    Tube,
    /// A score per number of clusters k, with the chosen k marked: k-means' elbow chart (inertia).
    Elbow,
    /// The same chart of the silhouette score per k.
    Silhouette,
}

impl ViewKind {
    /// The key of this kind in the page's views object.
    pub fn key(self) -> &'static str {
        match self {
            ViewKind::Sigmoid => "sigmoid",
            ViewKind::Tree => "tree",
            ViewKind::Pruning => "pruning",
            ViewKind::Network => "network",
            ViewKind::Thumbnails => "thumbnails",
            ViewKind::Rings => "rings",
            ViewKind::Centroids => "centroids",
            ViewKind::Tube => "tube",
            ViewKind::Elbow => "elbow",
            ViewKind::Silhouette => "silhouette",
        }
    }

    /// True for kinds drawn on the main plot (inside the scene) rather than beside it.
    pub fn on_plot(self) -> bool {
        matches!(self, ViewKind::Rings | ViewKind::Centroids | ViewKind::Tube)
    }
}

/// What a family needs to build its pictures: the points as the canvas shows them and the names
/// the page uses. Everything is in the model's (prepared) feature units.
#[derive(Debug, Clone, Copy)]
pub struct ViewContext<'a> {
    /// Every point (train and test, the learner's edits included).
    pub data: &'a Dataset,
    pub train: &'a Dataset,
    pub test: &'a Dataset,
    /// Per point of `data`: the scene's role bits (test, placed by hand, …).
    pub roles: &'a [u8],
    /// Feature names, one per feature of `data`.
    pub feature_names: &'a [String],
    /// Class names, one per class (empty for regression).
    pub class_names: &'a [String],
    /// The plot's ranges of the first two features: `(x_min, x_max)`, `(y_min, y_max)`.
    pub plane: [(f64, f64); 2],
    /// Training steps taken since the model was built.
    pub epoch: u64,
}

/// Points ringed on the plot, in data coordinates of the plot's two features, each with a weight
/// (e.g. a support vector's |αᵢ|) the page shows on hover.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rings {
    pub points: Vec<(f64, f64)>,
    pub weights: Vec<f64>,
}

/// Centres on the plot, in data coordinates of the plot's two features, each with the trail it
/// moved along (its positions in order, the last one where it is now).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Centroids {
    pub points: Vec<(f64, f64)>,
    pub trails: Vec<Vec<(f64, f64)>>,
}

/// A score per number of clusters `ks[i]` (`values[i]`), with the chosen k marked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KCurve {
    pub ks: Vec<usize>,
    pub values: Vec<f64>,
    pub chosen: usize,
}

/// Everything the sigmoid view shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SigmoidScene {
    /// Each point's score `z = w·φ(x) + b` (the logit of P(class 1)). Non-finite scores are
    /// skipped.
    pub z: Vec<f64>,
    /// Each point's class, 0 or 1; points without one, or of another class, are skipped.
    pub classes: Vec<u8>,
    /// Role bits per point as in `Scene::roles`: `ROLE_TEST` (drawn as a ring) and
    /// `ROLE_HAND_PLACED` (outlined). A missing entry counts as a train point.
    pub roles: Vec<u8>,
    /// A hovered point, drawn larger with a guide up or down to the curve.
    pub highlight: Option<usize>,
    /// The scores shown on the x axis, e.g. from [`z_range_for`].
    pub z_range: (f64, f64),
}

impl Default for SigmoidScene {
    fn default() -> Self {
        SigmoidScene { z: Vec::new(), classes: Vec::new(), roles: Vec::new(), highlight: None, z_range: (-6.0, 6.0) }
    }
}

/// Everything the tree diagram shows, as plain data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct TreeDiagram {
    /// The nodes in id order (`nodes[i].id == i`, the root first); see [`NodeInfo`].
    pub nodes: Vec<NodeInfo>,
    /// One name per feature (`x1`, `x2`, … when not given).
    pub feature_names: Vec<String>,
    /// One name per class, in class order; empty for regression.
    pub class_names: Vec<String>,
    /// True for a regression tree (node values are means, not class fractions).
    pub regression: bool,
    /// What the impurity is called: `gini`, `entropy` or `mse`.
    pub impurity_name: String,
}

/// A tree as the page draws and links it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreeView {
    pub diagram: TreeDiagram,
    /// The leaf each point falls into (as `scene.xs`); the page walks `parent` links for the path.
    pub leaves: Vec<usize>,
    /// Per node, its rectangle `[(x_min, x_max), (y_min, y_max)]` clipped to the view; empty for
    /// trees on other than two features.
    pub regions: Vec<Vec<(f64, f64)>>,
}

/// A tree's cost-complexity pruning path: at each effective α, the scores (accuracy or R²) of
/// the tree pruned there, on the train and test sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PruningPath {
    pub alphas: Vec<f64>,
    pub train: Vec<f64>,
    pub test: Vec<f64>,
    pub chosen: f64,
}

/// Everything the network diagram shows, as plain data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct NetworkDiagram {
    /// Widths from input to output, `[d, h_1, …, h_L, k]`.
    pub layer_sizes: Vec<usize>,
    /// `weights[l][i][j]` connects neuron `i` of layer `l` to neuron `j` of layer `l + 1`.
    pub weights: Vec<Vec<Vec<f64>>>,
    /// `biases[l][j]`: the bias of neuron `j` of layer `l + 1`.
    pub biases: Vec<Vec<f64>>,
    /// Per hidden layer `h` (0-based, layer `h + 1` above), per neuron: the neuron of the layer
    /// before whose value a skip connection adds to it.
    pub skip_connections: Vec<Vec<Option<usize>>>,
    /// The activation of each hidden layer (`tanh`, `relu`, …).
    pub activations: Vec<String>,
    /// The output units: `sigmoid`, `softmax` or `linear`.
    pub output_activation: String,
    /// One name per input and per output unit.
    pub input_names: Vec<String>,
    pub output_names: Vec<String>,
    /// Per weight layer, `[i][j]` as `weights`: whether the weight is pruned (held at zero; not
    /// drawn). Empty when nothing is pruned.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pruned: Vec<Vec<Vec<bool>>>,
    /// The weight layers training leaves alone (0 = into the first hidden layer; marked).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub frozen: Vec<usize>,
    /// A quantised network's integers, shown on hover.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantized: Option<QuantizedWeights>,
    /// The network's own input scaling (`x' = (x − mean) / scale`), so a hovered neuron's sum can
    /// be worked out at a point of the plot ([`NetworkDiagram::neuron_sum`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub input_mean: Vec<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub input_scale: Vec<f64>,
}

/// A neuron's weighted sum and activation at one input, term by term, for the page's maths:
/// `z = Σᵢ wᵢ aᵢ + b`, `a = f(z)` (plus a skip connection's value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeuronSum {
    /// The layer (1 = the first hidden layer; the last is the output) and the neuron in it.
    pub layer: usize,
    pub neuron: usize,
    /// True when worked out at the training data's mean (no point given).
    pub at_mean: bool,
    /// The previous layer's values `aᵢ` (the network's scaled inputs for layer 1) and the weights.
    pub inputs: Vec<f64>,
    pub weights: Vec<f64>,
    pub bias: f64,
    pub z: f64,
    /// `tanh`, `relu`, `leaky relu`, `sigmoid`, `linear` (hidden) or the output's `sigmoid`,
    /// `softmax`, `linear`.
    pub activation: String,
    /// The value added by a skip connection, if the neuron has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip: Option<f64>,
    /// The neuron's output `a`.
    pub a: f64,
}

/// A quantised network's stored weights as the diagram shows them: `w = (q − z) · s`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct QuantizedWeights {
    pub bits: u8,
    /// `integers[l][i][j]`, as `NetworkDiagram::weights`.
    pub integers: Vec<Vec<Vec<i32>>>,
    /// Per layer: one scale, or one per output neuron `j`.
    pub scales: Vec<Vec<f32>>,
    /// Per layer: the zero point of each scale (empty when symmetric).
    pub zero_points: Vec<Vec<i32>>,
}

/// One node of a tree, as handed to the drawing code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeInfo {
    pub id: usize,
    /// 0 for the root.
    pub depth: usize,
    pub parent: Option<usize>,
    /// The child for `x[feature] <= threshold`; `None` for a leaf.
    pub left: Option<usize>,
    /// The child for `x[feature] > threshold`; `None` for a leaf.
    pub right: Option<usize>,
    /// Feature index (0-based) of the split; `None` for a leaf.
    pub feature: Option<usize>,
    pub threshold: Option<f64>,
    /// Gini, entropy (bits) or squared error of the training samples in the node.
    pub impurity: f64,
    /// Training samples in the node.
    pub n_samples: usize,
    /// Their total weight (equal to `n_samples` without class weights).
    pub weighted_n_samples: f64,
    /// Weighted class fractions (classification) or `[mean target]` (regression).
    pub value: Vec<f64>,
    pub is_leaf: bool,
}

/// One family picture's data.
#[derive(Debug, Clone, PartialEq)]
pub enum FamilyView {
    Sigmoid(SigmoidScene),
    Tree(Box<TreeView>),
    Pruning(PruningPath),
    Network(NetworkDiagram),
    Rings(Rings),
    Centroids(Centroids),
    /// The tube's half-width in the target's units.
    Tube(f64),
    Elbow(KCurve),
    Silhouette(KCurve),
}

impl FamilyView {
    pub fn kind(&self) -> ViewKind {
        match self {
            FamilyView::Sigmoid(_) => ViewKind::Sigmoid,
            FamilyView::Tree(_) => ViewKind::Tree,
            FamilyView::Pruning(_) => ViewKind::Pruning,
            FamilyView::Network(_) => ViewKind::Network,
            FamilyView::Rings(_) => ViewKind::Rings,
            FamilyView::Centroids(_) => ViewKind::Centroids,
            FamilyView::Tube(_) => ViewKind::Tube,
            FamilyView::Elbow(_) => ViewKind::Elbow,
            FamilyView::Silhouette(_) => ViewKind::Silhouette,
        }
    }
}

impl Serialize for FamilyView {
    /// As its data alone (the kind is the key it is stored under).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FamilyView::Sigmoid(v) => v.serialize(s),
            FamilyView::Tree(v) => v.serialize(s),
            FamilyView::Pruning(v) => v.serialize(s),
            FamilyView::Network(v) => v.serialize(s),
            FamilyView::Rings(v) => v.serialize(s),
            FamilyView::Centroids(v) => v.serialize(s),
            FamilyView::Tube(v) => v.serialize(s),
            FamilyView::Elbow(v) | FamilyView::Silhouette(v) => v.serialize(s),
        }
    }
}

/// A family's pictures keyed by kind: serialised as `{ "tree": …, "pruning": … }`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FamilyViews(pub Vec<FamilyView>);

impl FamilyViews {
    pub fn get(&self, kind: ViewKind) -> Option<&FamilyView> {
        self.0.iter().find(|v| v.kind() == kind)
    }
    pub fn take(&mut self, kind: ViewKind) -> Option<FamilyView> {
        let i = self.0.iter().position(|v| v.kind() == kind)?;
        Some(self.0.remove(i))
    }
}

impl Serialize for FamilyViews {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for v in &self.0 {
            map.serialize_entry(v.kind().key(), v)?;
        }
        map.end()
    }
}

/// One thumbnail's values over a square grid of the plane (row-major, row 0 at the top of the
/// plot) and the range its colours span (the range's middle is white).
#[derive(Debug, Clone, PartialEq)]
pub struct Thumbnail {
    pub values: Vec<f64>,
    pub range: (f64, f64),
}

tagged_enum! {
    /// A live change to a trained model's structure that keeps its predictions (a network's
    /// Net2Net growth; [`super::Model::grow`]).
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub enum Growth("op") {
        /// Split a neuron of hidden layer `layer` (1 = the first hidden layer).
        Neuron = "neuron" { layer: usize },
        /// Insert a hidden layer after layer `after` (0 = the input).
        Layer = "layer" { after: usize },
    }
}
