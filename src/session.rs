//! The training loop the page drives.
