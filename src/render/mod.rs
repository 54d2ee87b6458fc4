//! Drawing: plotters code generic over the backend, and the per-pixel raster layer.
pub mod surface;
