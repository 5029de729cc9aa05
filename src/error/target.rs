//! Why a coding target names no text: each case with what to write instead.

/// Why a coding target names no text to code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetProblem {
    /// A turn or offset that is not a whole number.
    #[error(
        "target '{target}': {what} '{value}' is not a whole number; write DOC:TURN, DOC:TURN-TURN or DOC@START-END"
    )]
    NotANumber {
        /// The target as given.
        target: String,
        /// `turn` or `offset`.
        what: &'static str,
        /// The text that is not a number.
        value: String,
    },
    /// Offsets given as one number.
    #[error("target '{target}': give a range of code points, DOC@START-END (end exclusive)")]
    NoRange {
        /// The target as given.
        target: String,
    },
    /// Offsets whose start is not before their end.
    #[error(
        "target '{target}': the start offset must be less than the end offset (the end is exclusive)"
    )]
    Backwards {
        /// The target as given.
        target: String,
    },
    /// Turns from 0, or a range that runs backwards.
    #[error(
        "target '{target}': turns are numbered from 1 and the first must not come after the last"
    )]
    BadTurns {
        /// The target as given.
        target: String,
    },
    /// A turn the document does not have.
    #[error("'{doc}' has no turn {turn} (it has {count} turns; `realist show {doc}` numbers them)")]
    NoSuchTurn {
        /// The document.
        doc: String,
        /// The turn asked for.
        turn: usize,
        /// How many turns it has.
        count: usize,
    },
    /// A turn with nothing after its speaker label.
    #[error("turn {turn} of '{doc}' has no words after its speaker label")]
    EmptyTurn {
        /// The document.
        doc: String,
        /// The turn.
        turn: usize,
    },
    /// Offsets past the end of the document's canonical text.
    #[error(
        "offsets {start}-{end} run past the end of '{doc}', whose canonical text has {len} code points"
    )]
    PastEnd {
        /// The document.
        doc: String,
        /// The first offset.
        start: usize,
        /// The end offset.
        end: usize,
        /// The text's length in code points.
        len: usize,
    },
    /// Offsets that cover only white space.
    #[error("offsets {start}-{end} of '{doc}' cover only whitespace")]
    OnlyWhitespace {
        /// The document.
        doc: String,
        /// The first offset.
        start: usize,
        /// The end offset.
        end: usize,
    },
    /// An empty quote.
    #[error("the quote is empty")]
    EmptyQuote,
    /// A quote that does not occur in the document, even loosely.
    #[error(
        "the quote does not occur in '{doc}', not even with other spacing, quote marks or case"
    )]
    QuoteNotFound {
        /// The document.
        doc: String,
    },
    /// A quote that occurs more than once, with nothing to choose by.
    #[error("the quote occurs {count} times in '{doc}'; quote more of the text, or name one with DOC@START-END:{}", places.iter().map(|p| format!("\n    {p}")).collect::<String>())]
    QuoteRepeated {
        /// The document.
        doc: String,
        /// How often it occurs.
        count: usize,
        /// Every place, with its context (`turn 3 @120-140 “…before [quote] after…”`).
        places: Vec<String>,
    },
}
