//! The network's tests: `network.rs` pins the layers (forward pass, back-propagation against
//! finite differences, scikit-learn's MLP steps), `model.rs` the model (training, growth,
//! class weights, files).

mod model;
mod network;
