//! The drawing code's tests, kept apart from it: pixel-level tests of the scene and loss charts
//! ([`scene_and_loss`]), of the classification pictures ([`classification`]) and of the point
//! layer ([`points`]), all rendered natively with `BitMapBackend`; and their support, which the
//! diagrams' and charts' own tests use too: [`testing`] renders into an in-memory picture and
//! reads pixels back, [`diagram_testing`] records every text drawn.

mod classification;
pub(super) mod diagram_testing;
mod points;
mod scene_and_loss;
pub(super) mod testing;
