//! What became of each number, and why a job stopped, in words for office staff.

use std::time::Duration;

use crate::naam::NaamError;

/// Why a number was not looked up, or why a job stopped early.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    /// The account's credits ran out.
    CreditsExhausted,
    /// The account's daily limit was reached.
    DailyLimit,
    /// Bulk lookups are switched off for the account.
    BulkDisabled,
    /// The service refused the API token.
    TokenRefused,
    /// No API token is set.
    NoToken,
    /// The user cancelled the job.
    Cancelled,
    /// The service took longer than the time limit to answer.
    NoAnswerInTime,
    /// A submit may have reached the service, so the numbers are not sent again.
    OutcomeUnknown,
    /// The service forgot the job (it answered "Invalid Enrichment Id" while polling).
    JobLost,
    /// The service kept asking us to slow down, or could not be reached.
    ServiceBusy,
    /// The service refused the request for a reason of its own; its message is kept.
    Refused(String),
    /// The service would not take even one number at a time.
    BatchTooLarge,
    /// The job store could not be written, so sending more would risk paying twice.
    StoreFailed(String),
}

impl Reason {
    /// The few words that follow `not looked up: ` in the `Lookup Status` column.
    pub fn status_words(&self) -> String {
        match self {
            Self::CreditsExhausted => "credits used up".to_owned(),
            Self::DailyLimit => "daily limit reached".to_owned(),
            Self::BulkDisabled => "bulk lookups are switched off".to_owned(),
            Self::TokenRefused => "API token not accepted".to_owned(),
            Self::NoToken => "no API token set".to_owned(),
            Self::Cancelled => "cancelled".to_owned(),
            Self::NoAnswerInTime => "no answer in time".to_owned(),
            Self::OutcomeUnknown => "unclear whether Naam received it".to_owned(),
            Self::JobLost => "Naam no longer knows this lookup".to_owned(),
            Self::ServiceBusy => "Naam busy or unreachable".to_owned(),
            Self::Refused(message) => format!("Naam refused it ({message})"),
            Self::BatchTooLarge => "Naam refused the batch size".to_owned(),
            Self::StoreFailed(_) => "could not record the job".to_owned(),
        }
    }

    /// One or two sentences for the end-of-job summary: what happened and what to do, given how
    /// many numbers wait.
    pub fn explain(&self, num_waiting: usize) -> String {
        let waiting = plural(num_waiting, "number waits", "numbers wait");
        match self {
            Self::CreditsExhausted => format!(
                "Your Naam credits are used up. {waiting}; buy more credits, then run Enrich \
                 again — nothing will be charged twice."
            ),
            Self::DailyLimit => format!(
                "Your daily limit is used up. {waiting}; run Enrich again tomorrow — nothing \
                 will be charged twice."
            ),
            Self::BulkDisabled => format!(
                "Bulk lookups are switched off for your Naam account. {waiting}; ask Naam to \
                 switch them on, then run Enrich again."
            ),
            Self::TokenRefused => format!(
                "Naam did not accept your API token. {waiting}; paste the token again in \
                 Settings, then run Enrich again."
            ),
            Self::NoToken => format!(
                "No API token is set. {waiting}; open Settings, paste the token from your Naam \
                 dashboard, then run Enrich again."
            ),
            Self::Cancelled => format!(
                "You cancelled the job. {waiting}. Numbers already sent keep their place and \
                 their names are fetched when you resume — nothing will be charged twice."
            ),
            Self::NoAnswerInTime => format!(
                "Naam has not finished yet. {waiting}; the job resumes the next time you open \
                 the app, without sending anything again."
            ),
            Self::OutcomeUnknown => format!(
                "Sending was interrupted (a dropped connection, or the app stopped mid-send), \
                 so it is unclear whether Naam received these numbers and charged for them. \
                 {waiting}. They are not sent again on their own, to avoid paying twice; check \
                 your Naam dashboard, and if they were not charged, choose to send them again."
            ),
            Self::JobLost => format!(
                "Naam no longer recognises part of this job. {waiting}; run Enrich again to \
                 look them up."
            ),
            Self::ServiceBusy => format!(
                "Naam was busy or could not be reached. {waiting}; try again in a few minutes."
            ),
            Self::Refused(message) => {
                format!("Naam refused the request: \"{message}\". {waiting}.")
            }
            Self::BatchTooLarge => format!(
                "Naam refused even the smallest batch. {waiting}; please contact Naam support."
            ),
            Self::StoreFailed(detail) => format!(
                "The app could not record the job on disk ({detail}), so it stopped sending to \
                 avoid paying twice. {waiting}; free some disk space and run Enrich again."
            ),
        }
    }

    /// The reason a job stops for after `err` from a submit (or a poll that cannot go on).
    pub fn from_submit_error(err: &NaamError) -> Self {
        match err {
            NaamError::CreditsExhausted => Self::CreditsExhausted,
            NaamError::DailyLimitExhausted => Self::DailyLimit,
            NaamError::BulkDisabled => Self::BulkDisabled,
            NaamError::Unauthorised { .. }
            | NaamError::MissingToken
            | NaamError::MalformedToken => Self::TokenRefused,
            NaamError::OutcomeUnknown { .. } => Self::OutcomeUnknown,
            NaamError::Throttled { .. } | NaamError::Network { .. } | NaamError::Server { .. } => {
                Self::ServiceBusy
            }
            NaamError::QuantityExceedsLimit => Self::BatchTooLarge,
            NaamError::InvalidEnrichmentId { .. } => Self::JobLost,
            other => Self::Refused(other.to_string()),
        }
    }
}

/// What became of one number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The service knows a name for it.
    Found {
        /// The name, as the service sent it.
        name: String,
    },
    /// The service looked it up and has no name.
    NotFound,
    /// It was not looked up, for this reason.
    NotLookedUp(Reason),
}

impl Outcome {
    /// The text of the `Lookup Status` column.
    pub fn status(&self) -> String {
        match self {
            Self::Found { .. } => "found".to_owned(),
            Self::NotFound => "not found".to_owned(),
            Self::NotLookedUp(reason) => format!("not looked up: {}", reason.status_words()),
        }
    }

    /// The text of the `Caller Name` column.
    pub fn name(&self) -> &str {
        match self {
            Self::Found { name } => name,
            Self::NotFound | Self::NotLookedUp(_) => "",
        }
    }
}

/// `1 number waits` or `812 numbers wait`, with thousands separated.
pub(crate) fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", thousands(count))
    }
}

/// `1204` as `1,204`.
pub fn thousands(count: usize) -> String {
    let digits = count.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (idx, digit) in digits.chars().enumerate() {
        if idx > 0 && (digits.len() - idx).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A short human duration: `40 s`, `3 min`, `1 h 20 min`.
pub fn short_duration(duration: Duration) -> String {
    let secs = duration.as_secs();
    if secs < 60 {
        format!("{secs} s")
    } else if secs < 3600 {
        format!("{} min", secs.div_ceil(60))
    } else {
        format!("{} h {} min", secs / 3600, (secs % 3600) / 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_as_the_design_lists_them() {
        assert_eq!(
            Outcome::Found {
                name: "Asha".into()
            }
            .status(),
            "found"
        );
        assert_eq!(Outcome::NotFound.status(), "not found");
        assert_eq!(
            Outcome::NotLookedUp(Reason::CreditsExhausted).status(),
            "not looked up: credits used up"
        );
        assert_eq!(
            Outcome::NotLookedUp(Reason::NoAnswerInTime).status(),
            "not looked up: no answer in time"
        );
    }

    #[test]
    fn summaries_say_what_happened_and_what_to_do() {
        let text = Reason::DailyLimit.explain(812);
        assert_eq!(
            text,
            "Your daily limit is used up. 812 numbers wait; run Enrich again tomorrow — nothing \
             will be charged twice."
        );
        assert!(
            Reason::CreditsExhausted
                .explain(1)
                .contains("1 number waits")
        );
    }

    #[test]
    fn thousands_and_durations_read_naturally() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1204), "1,204");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(short_duration(Duration::from_secs(40)), "40 s");
        assert_eq!(short_duration(Duration::from_secs(150)), "3 min");
        assert_eq!(short_duration(Duration::from_mins(80)), "1 h 20 min");
    }

    #[test]
    fn submit_errors_map_to_stop_reasons() {
        assert_eq!(
            Reason::from_submit_error(&NaamError::CreditsExhausted),
            Reason::CreditsExhausted
        );
        assert_eq!(
            Reason::from_submit_error(&NaamError::Unauthorised { status: 401 }),
            Reason::TokenRefused
        );
        assert_eq!(
            Reason::from_submit_error(&NaamError::Throttled { retry_after: None }),
            Reason::ServiceBusy
        );
    }
}

/// The kinds of `Lookup Status` a row can have, for tinting and filtering rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusKind {
    /// `found`, with a name.
    Found,
    /// `not found`.
    NotFound,
    /// `invalid number: …`.
    Invalid,
    /// `not looked up: …`.
    NotLookedUp,
    /// `pending`: sent, no answer yet.
    Pending,
}

impl StatusKind {
    /// Every kind, in the order a legend shows them.
    pub const ALL: [Self; 5] = [
        Self::Found,
        Self::NotFound,
        Self::Invalid,
        Self::NotLookedUp,
        Self::Pending,
    ];

    /// The kind of a `Lookup Status` cell, ignoring case and leading spaces; `None` for
    /// anything else (an empty cell, or text the user typed).
    pub fn of(status: &str) -> Option<Self> {
        let status = status.trim_start();
        // "not found" and "not looked up" both start with "not ", so longer prefixes go first.
        [
            ("not found", Self::NotFound),
            ("not looked up", Self::NotLookedUp),
            ("invalid number", Self::Invalid),
            ("found", Self::Found),
            ("pending", Self::Pending),
        ]
        .into_iter()
        .find(|(prefix, _)| {
            status
                .get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
        })
        .map(|(_, kind)| kind)
    }

    /// A label for a legend or a filter button.
    pub fn label(self) -> &'static str {
        match self {
            Self::Found => "Found",
            Self::NotFound => "Not found",
            Self::Invalid => "Invalid number",
            Self::NotLookedUp => "Not looked up",
            Self::Pending => "Pending",
        }
    }
}

#[cfg(test)]
mod status_kind_tests {
    use super::*;

    #[test]
    fn every_status_written_has_a_kind() {
        assert_eq!(StatusKind::of("found"), Some(StatusKind::Found));
        assert_eq!(
            StatusKind::of("found (first of 2 numbers)"),
            Some(StatusKind::Found)
        );
        assert_eq!(StatusKind::of("not found"), Some(StatusKind::NotFound));
        assert_eq!(
            StatusKind::of("invalid number: too short"),
            Some(StatusKind::Invalid)
        );
        assert_eq!(
            StatusKind::of(&Outcome::NotLookedUp(Reason::Cancelled).status()),
            Some(StatusKind::NotLookedUp)
        );
        assert_eq!(StatusKind::of("pending"), Some(StatusKind::Pending));
        assert_eq!(StatusKind::of("  Found"), Some(StatusKind::Found));
        assert_eq!(StatusKind::of(""), None);
        assert_eq!(StatusKind::of("foun"), None);
        assert_eq!(StatusKind::of("नहीं"), None);
        assert_eq!(StatusKind::of("call back Monday"), None);
    }
}
