//! The page's whole state as one serialisable value.
