//! [`StoreError`]: what can go wrong with browser storage, in words a person can act on.

use indexed_db_futures::error::{DomException, Error, OpenDbError};

/// Why the browser's storage refused. The UI shows each as a translated message (by variant);
/// the English text here is for logs and tests.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("this browser does not let the helpdesk store data (private browsing, or site storage turned off)")]
    Unavailable,
    #[error("the browser's storage for this site is full; free space or export and clear old data")]
    QuotaExceeded,
    #[error("the saved data was written by a newer version of the helpdesk; reload the page to update")]
    VersionTooNew,
    #[error("the helpdesk was updated in another tab; reload this page")]
    Closed,
    #[error("storage failed: {0}")]
    Failed(String),
}

impl StoreError {
    /// Maps a DOM exception by its name (the only stable part of it).
    pub fn from_dom(exception: &web_sys::DomException) -> Self {
        match exception.name().as_str() {
            "QuotaExceededError" => StoreError::QuotaExceeded,
            "VersionError" => StoreError::VersionTooNew,
            "InvalidStateError" => StoreError::Closed,
            "SecurityError" | "NotAllowedError" => StoreError::Unavailable,
            name => StoreError::Failed(format!("{name}: {}", exception.message())),
        }
    }
}

// Neither impl formats indexed_db_futures' error types as a whole: their Display reaches
// `SimpleValueError`'s, whose number variants bring core's whole f64 formatting into the wasm
// (docs/size.md). The adapter hands the crate no values to convert (it stores byte arrays and
// strings), so that variant gets a sentence of its own.
impl From<Error> for StoreError {
    fn from(error: Error) -> Self {
        match error {
            Error::DomException(exception) => StoreError::from_dom(&dom_of(exception)),
            Error::Serialisation(_) => {
                StoreError::Failed("the browser's storage returned a value of an unexpected type".to_owned())
            }
            Error::MissingData(missing) => StoreError::Failed(missing.to_string()),
            Error::Unknown(js) => StoreError::Failed(js.to_string()),
        }
    }
}

impl From<OpenDbError> for StoreError {
    fn from(error: OpenDbError) -> Self {
        match error {
            OpenDbError::UnsupportedEnvironment | OpenDbError::NullFactory => StoreError::Unavailable,
            OpenDbError::Base(base) => base.into(),
            OpenDbError::VersionZero => StoreError::Failed("the database version cannot be zero".to_owned()),
        }
    }
}

fn dom_of(exception: DomException) -> web_sys::DomException {
    match exception {
        DomException::InvalidStateError(e)
        | DomException::TransactionInactiveError(e)
        | DomException::NotFoundError(e)
        | DomException::ConstraintError(e)
        | DomException::InvalidAccessError(e)
        | DomException::DataError(e)
        | DomException::AbortError(e)
        | DomException::ReadOnlyError(e)
        | DomException::DataCloneError(e)
        | DomException::SyntaxError(e)
        | DomException::Other(e) => e,
    }
}
