//! The crate's one error type. Every message is written for the learner who will read it on the
//! page: it says what is wrong and, where it can, what to do about it.

/// What went wrong, with a message a learner can act on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A hyper-parameter or option is out of its allowed range.
    #[error("{0}")]
    InvalidParameter(String),
    /// The data cannot be used as given (NaN, wrong shape, too few points, one class...).
    #[error("{0}")]
    InvalidData(String),
    /// A closed-form solve met a singular or near-singular system.
    #[error("{0}")]
    Singular(String),
    /// Training produced NaN or infinite values; the last good model was kept.
    #[error("training diverged: {0}")]
    Diverged(String),
    /// A saved state (URL hash) or model file could not be read.
    #[error("{0}")]
    InvalidInput(String),
    /// Drawing failed.
    #[error("drawing failed: {0}")]
    Render(String),
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A short machine-readable name of the error's kind, for the JS side.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::InvalidParameter(_) => "invalid_parameter",
            Error::InvalidData(_) => "invalid_data",
            Error::Singular(_) => "singular",
            Error::Diverged(_) => "diverged",
            Error::InvalidInput(_) => "invalid_input",
            Error::Render(_) => "render",
        }
    }
}

/// Checks that `value` lies in `[min, max]` and is finite, naming the parameter in the message.
pub fn check_range(name: &str, value: f64, min: f64, max: f64) -> Result<()> {
    if !value.is_finite() || value < min || value > max {
        return Err(Error::InvalidParameter(format!("{name} must be between {min} and {max} (got {value})")));
    }
    Ok(())
}

/// Checks an integer parameter lies in `[min, max]`.
pub fn check_count(name: &str, value: usize, min: usize, max: usize) -> Result<()> {
    if value < min || value > max {
        return Err(Error::InvalidParameter(format!("{name} must be between {min} and {max} (got {value})")));
    }
    Ok(())
}
