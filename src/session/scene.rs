//! What the canvas draws: the points with their roles, the model's curve (regression) or decision
//! surface and boundaries (classification), sliced through the training means when the model has
//! more features than the picture shows.

use super::prepare::plane;
use super::Session;
use crate::data::Task;
use crate::evaluate::grid::{slice_inputs, slice_probabilities};
use crate::model::view::FamilyView;
use crate::model::Model;
use crate::render::raster::{self, Raster};
use crate::render::scene::{ROLE_OUTLIER, ROLE_REMOVED, ROLE_SYNTHETIC};
use crate::render::surface::grid_axes;
use crate::render::Scene;
use nalgebra::DMatrix;

/// Most pixels of a decision surface (larger requests are refused; the page scales down first).
pub const MAX_SURFACE_PIXELS: u64 = 4_000_000;

impl Session {
    /// The plane coordinates of every point as drawn: (x, y) for regression, (x1, x2) for 2-D data.
    pub(super) fn point_coords(&self) -> (Vec<f64>, Vec<f64>) {
        plane(&self.data)
    }

    /// The scene's role bits of point `i`: test, placed by hand, imputed, flagged outlier.
    pub(super) fn role(&self, i: usize) -> u8 {
        u8::from(self.is_test[i]) | (u8::from(self.by_hand[i]) << 1) | self.marks.get(i).copied().unwrap_or(0)
    }

    /// Axis names: the drawn features' names (the first two kept ones; the first and the target
    /// for regression), or x / y and x₁ / x₂ for generated data. Empty for a missing second feature.
    pub(super) fn axis_names(&self) -> (String, String) {
        let name = |j: usize| self.data.feature_names.get(j).map(|n| self.display_name(n)).unwrap_or_default();
        match (&self.custom, self.data.task) {
            (Some(c), Task::Regression) if self.is_custom() => (name(0), c.target_name.clone()),
            (_, Task::Regression) => (name(0), "y".into()),
            _ => (name(0), name(1)),
        }
    }

    /// What the scene says about features the canvas does not show (see [`Scene::slice_note`]).
    pub(super) fn slice_note(&self, held: &[f64]) -> Option<crate::error::Msg> {
        use crate::error::{Msg, Value};
        let drawn = match self.data.task {
            Task::Regression => 1,
            Task::Classification { .. } => 2,
        };
        let d = self.data.n_features();
        if d < drawn {
            let name = self.data.feature_names.first().map(|n| self.display_name(n)).unwrap_or_default();
            return Some(Msg::new("slice_one_feature", vec![("name", Value::from(name))]));
        }
        let hidden: Vec<String> = self.data.feature_names.iter().skip(drawn).map(|n| self.display_name(n)).collect();
        match hidden.len() {
            0 => None,
            1 => Some(Msg::new(
                "slice_held_one",
                vec![
                    ("name", Value::from(&hidden[0])),
                    ("value", Value::from(held.get(drawn).copied().unwrap_or(0.0))),
                ],
            )),
            k if k <= 3 => {
                Some(Msg::new("slice_held_few", vec![("n", Value::from(k)), ("names", Value::from(hidden.join(", ")))]))
            }
            k => Some(Msg::new("slice_held_many", vec![("n", Value::from(k))])),
        }
    }

    /// The colour (class hue index) of each of a clustering's `k` clusters: on data with classes,
    /// the class most of the cluster's training points have, each colour once and the largest
    /// overlaps first, so clusters that find the classes are drawn in their colours (the cluster
    /// numbers are arbitrary); the other clusters take the colours left, in order.
    fn cluster_colours(&self, k: usize) -> Vec<usize> {
        let mut colour: Vec<Option<usize>> = vec![None; k];
        let mut used = vec![false; k];
        if let (Task::Classification { n_classes }, Some(Ok((labels, _)))) =
            (self.data.task, self.model.clusters(&self.train.x))
        {
            let mut table = vec![vec![0usize; n_classes]; k];
            for (&c, &y) in labels.iter().zip(self.train.y.iter()) {
                if c < k && (y as usize) < n_classes {
                    table[c][y as usize] += 1;
                }
            }
            let mut overlaps: Vec<(usize, usize, usize)> = (0..k)
                .flat_map(|c| (0..n_classes.min(k)).map(move |y| (c, y)))
                .filter(|&(c, y)| table[c][y] > 0)
                .map(|(c, y)| (table[c][y], c, y))
                .collect();
            overlaps.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
            for (_, c, y) in overlaps {
                if colour[c].is_none() && !used[y] {
                    colour[c] = Some(y);
                    used[y] = true;
                }
            }
        }
        let mut free = (0..k).filter(|&j| !used[j]).collect::<Vec<_>>().into_iter();
        colour.into_iter().map(|c| c.or_else(|| free.next()).unwrap_or(0)).collect()
    }

    /// What to draw: the points, and for regression the model's curve sampled at `samples` points
    /// across the view. For classification with `surface = Some((width, height))`, the decision
    /// surface as an RGBA raster of that size (covering the view) and its boundary contours.
    /// The canvas shows the first kept feature against the target (regression) or the first two
    /// kept features (classification); with more features the curve or surface is the slice
    /// where the others are at their [training means](Session::training_means), and
    /// `scene.slice_note` says so.
    pub fn scene(&self, samples: usize, surface: Option<(u32, u32)>) -> (Scene, Option<Raster>) {
        // (made once a band comes: scene_in_bands checks the size first)
        let mut raster: Option<Raster> = None;
        let (scene, drawn) = self.scene_in_bands(samples, surface, &mut |rows, rgba| {
            if let Some((w, h)) = surface {
                let r = raster.get_or_insert_with(|| Raster::new(w, h));
                let row = w as usize * 4;
                r.rgba[rows.start * row..rows.end * row].copy_from_slice(rgba);
            }
        });
        (scene, raster.filter(|_| drawn))
    }

    /// [`scene`](Session::scene) handing the decision surface's RGBA pixels to `sink` a band of
    /// whole rows at a time (`sink(rows, rgba)`, top first) instead of holding them: the page
    /// keeps them outside the wasm's memory, which only grows (issue 15). True when the surface
    /// was drawn (else the bands given, if any, are void).
    pub fn scene_in_bands(
        &self,
        samples: usize,
        surface: Option<(u32, u32)>,
        sink: &mut dyn FnMut(std::ops::Range<usize>, &[u8]),
    ) -> (Scene, bool) {
        let (xs, ys) = self.point_coords();
        let roles = (0..xs.len()).map(|i| self.role(i)).collect();
        let mut scene = Scene {
            view: self.view,
            xs,
            ys,
            roles,
            show_residuals: self.state.view.residuals,
            show_test: self.state.view.show_test,
            ..Scene::default()
        };
        (scene.x_label, scene.y_label) = self.axis_names();
        if let Some(extra) = &self.synthetic {
            let (xs, ys) = plane(extra);
            scene.xs.extend(xs);
            scene.ys.extend(ys);
            scene.roles.extend(std::iter::repeat_n(ROLE_SYNTHETIC, extra.len()));
        }
        if let Some(removed) = &self.removed {
            let (xs, ys) = plane(removed);
            scene.xs.extend(xs);
            scene.ys.extend(ys);
            scene.roles.extend(std::iter::repeat_n(ROLE_REMOVED | ROLE_OUTLIER, removed.len()));
        }
        // Features the canvas does not show are held at their training means.
        let held = self.training_means();
        scene.slice_note = self.slice_note(&held);
        let mut drawn = false;
        // a clustering's colour per cluster (see `cluster_colours`)
        let mut colours: Vec<usize> = Vec::new();
        let surface = surface.filter(|&(w, h)| w >= 2 && h >= 2 && w as u64 * h as u64 <= MAX_SURFACE_PIXELS);
        if let Task::Classification { n_classes } = self.data.task {
            scene.n_classes = n_classes;
            scene.classes = self.data.y.iter().map(|&c| c as u8).collect();
            if let Some(extra) = &self.synthetic {
                scene.classes.extend(extra.y.iter().map(|&c| c as u8));
            }
            if let Some(removed) = &self.removed {
                scene.classes.extend(removed.y.iter().map(|&c| c as u8));
            }
        }
        match self.data.task {
            // A clustering on any data: the plane coloured by cluster (the points keep their
            // classes' colours, for comparison).
            _ if self.clustering() => {
                // the clusters: as many as the model's outputs
                let k = match self.data.is_empty() {
                    true => 0,
                    false => self.model.predict(&self.data.x.rows(0, 1).into_owned()).map_or(0, |p| p.ncols()),
                };
                colours = self.cluster_colours(k);
                if let Some((w, h)) = surface.filter(|_| k >= 1) {
                    let (xs, ys) = grid_axes(&self.view, w as usize, h as usize);
                    if let Some(mut probabilities) = slice_probabilities(&self.model, &xs, &ys, k, &held) {
                        for pixel in probabilities.chunks_exact_mut(k) {
                            let cluster: Vec<f64> = pixel.to_vec();
                            for (c, &p) in cluster.iter().enumerate() {
                                pixel[colours[c]] = p;
                            }
                        }
                        let (surface, contours) = raster::decision_surface(&probabilities, k, w, h, &self.view);
                        scene.contours = contours;
                        sink(0..h as usize, &surface.rgba);
                        drawn = true;
                    }
                }
            }
            Task::Regression => {
                let shows_model = self.model.is_trained() || !self.state.model.fits_instantly();
                if shows_model {
                    let samples = samples.clamp(2, 8192);
                    let (x0, x1) = self.view.x;
                    let grid: Vec<f64> =
                        (0..samples).map(|k| x0 + (x1 - x0) * k as f64 / (samples - 1) as f64).collect();
                    let plane = DMatrix::from_column_slice(samples, 1, &grid);
                    if let Ok(p) = self.model.predict(&slice_inputs(&plane, &held)) {
                        scene.curve = grid.iter().zip(p.iter()).map(|(&x, &y)| (x, y)).collect();
                    }
                    if let Ok(p) = self.model.predict(&self.data.x) {
                        scene.fitted = p.iter().copied().collect();
                    }
                    if self.state.view.band && self.model.is_trained() {
                        scene.band = self.train_rmse();
                    }
                }
            }
            Task::Classification { n_classes } => {
                if let Some((w, h)) = surface {
                    let (xs, ys) = grid_axes(&self.view, w as usize, h as usize);
                    // a band of rows at a time: the wasm's memory keeps its peak (issue 15)
                    let band = |rows| slice_probabilities(&self.model, &xs, &ys[rows], n_classes, &held);
                    if let Some(contours) = raster::decision_surface_in_bands(n_classes, w, h, &self.view, band, sink) {
                        scene.contours = contours;
                        drawn = true;
                    }
                }
            }
        }
        // The family's marks on the plot (a support vector machine's support vectors).
        for view in self.family_views(|kind| kind.on_plot()).0 {
            match view {
                FamilyView::Rings(rings) => scene.rings = rings.points,
                FamilyView::Tube(half_width) if !scene.curve.is_empty() => scene.tube = Some(half_width),
                FamilyView::Centroids(c) => {
                    // each centre drawn in its cluster's colour: at that colour's index
                    let (mut points, mut trails) = (c.points.clone(), c.trails.clone());
                    for (cluster, &colour) in colours.iter().enumerate() {
                        if let (Some(p), Some(slot)) = (c.points.get(cluster), points.get_mut(colour)) {
                            *slot = *p;
                        }
                        if let (Some(t), Some(slot)) = (c.trails.get(cluster), trails.get_mut(colour)) {
                            *slot = t.clone();
                        }
                    }
                    (scene.centroids, scene.trails) = (points, trails);
                }
                _ => {}
            }
        }
        (scene, drawn)
    }
}
