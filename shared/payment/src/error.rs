/// Why a payment could not be made ready.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaymentError {
    /// A detail of the transfer is not one a bank takes.
    #[error("the payment is not valid: {0}")]
    Invalid(String),
    /// Drawing the code failed.
    #[error("the payment code cannot be drawn: {0}")]
    Render(String),
    #[error("no randomness for a new code: {0}")]
    Randomness(String),
}
