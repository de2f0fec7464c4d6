//! The behaviours the fake Naam service can be set to, by name.
//!
//! The public reference leaves several things open: what a poll returns before the job is done,
//! how many records a page holds, and whether numbers with no name appear in the results. Each
//! plausible answer is a profile, and so is each kind of trouble a real network brings (bursts
//! of throttling, server errors, dropped connections, slow or broken answers). The client is
//! tested against every profile; the demo and `naam-enrich fake-server --profile NAME` can run
//! any of them.

use std::fmt;
use std::str::FromStr;

/// One behaviour of the fake service, chosen per instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FakeProfile {
    /// Before a job is done, polls get `200` with an empty `result: []`; pages honour `limit`;
    /// numbers with no name are listed with an empty name.
    #[default]
    Standard,
    /// Before a job is done, polls get `200` with the message "Processing" and no `result`.
    ProcessingMessage,
    /// Before a job is done, polls get a growing share of the results.
    PartialResults,
    /// Pages hold at most 3 records, whatever `limit` asks for.
    SmallPages,
    /// Numbers with no name are listed with `"name": null`.
    NullNames,
    /// Numbers with no name are left out of the results.
    OmitUnknown,
    /// Bursts of 713 "Performance Threshold Exceeded" on submits and polls.
    ThrottleBursts,
    /// Polls sometimes get a 5xx server error.
    ServerErrors,
    /// Polls sometimes get their connection cut before any answer.
    DroppedConnections,
    /// Answers sometimes arrive only after a pause.
    SlowResponses,
    /// Polls sometimes get a `200` whose JSON is cut off.
    MalformedJson,
    /// Every kind of trouble at once: polls get throttling, server errors, dropped
    /// connections, slow answers and cut-off JSON, mixed; submits get throttling and slow
    /// answers, the troubles that leave no doubt about what was charged.
    AllFaults,
}

/// Every profile, in the order they are listed for users.
const ALL_PROFILES: [FakeProfile; 12] = [
    FakeProfile::Standard,
    FakeProfile::ProcessingMessage,
    FakeProfile::PartialResults,
    FakeProfile::SmallPages,
    FakeProfile::NullNames,
    FakeProfile::OmitUnknown,
    FakeProfile::ThrottleBursts,
    FakeProfile::ServerErrors,
    FakeProfile::DroppedConnections,
    FakeProfile::SlowResponses,
    FakeProfile::MalformedJson,
    FakeProfile::AllFaults,
];

/// What a poll gets while the job is still being processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PendingStyle {
    /// `200 {"message":"success","result":[]}`.
    EmptyResult,
    /// `200 {"message":"Processing"}`.
    ProcessingMessage,
    /// `200` with the share of results finished so far.
    Partial,
}

/// How a number with no name appears in the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnknownStyle {
    /// `"name": ""`.
    EmptyName,
    /// `"name": null`.
    NullName,
    /// Not listed at all.
    Omitted,
}

/// A kind of trouble injected into some answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FaultKind {
    /// 713 "Performance Threshold Exceeded", in bursts.
    Throttle,
    /// A 5xx answer.
    ServerError,
    /// The connection is cut after the request was handled, before the answer is sent.
    DroppedConnection,
    /// The answer is held back for a while.
    Slow,
    /// A `200` whose JSON is cut off.
    MalformedJson,
}

/// Which endpoints injected faults apply to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultTarget {
    /// Only results polls (safe for the client to retry).
    Results,
    /// Only submits.
    Submit,
    /// Both endpoints.
    Both,
}

impl FaultTarget {
    /// Whether faults apply to submits.
    pub(crate) fn includes_submit(self) -> bool {
        matches!(self, Self::Submit | Self::Both)
    }

    /// Whether faults apply to results polls.
    pub(crate) fn includes_results(self) -> bool {
        matches!(self, Self::Results | Self::Both)
    }
}

impl FakeProfile {
    /// Every profile, for tests that run the client against all of them.
    #[must_use]
    pub fn all() -> &'static [FakeProfile] {
        &ALL_PROFILES
    }

    /// The name used on the command line (`--profile NAME`).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::ProcessingMessage => "processing-message",
            Self::PartialResults => "partial-results",
            Self::SmallPages => "small-pages",
            Self::NullNames => "null-names",
            Self::OmitUnknown => "omit-unknown",
            Self::ThrottleBursts => "throttle-bursts",
            Self::ServerErrors => "server-errors",
            Self::DroppedConnections => "dropped-connections",
            Self::SlowResponses => "slow-responses",
            Self::MalformedJson => "malformed-json",
            Self::AllFaults => "all-faults",
        }
    }

    /// A one-line description, for `--help` and the demo's settings.
    #[must_use]
    pub fn description(self) -> &'static str {
        match self {
            Self::Standard => "empty result while processing, pages as asked, blank names",
            Self::ProcessingMessage => "a \"Processing\" message while processing",
            Self::PartialResults => "results appear a share at a time while processing",
            Self::SmallPages => "at most 3 records per page, whatever is asked",
            Self::NullNames => "numbers without a name have a null name",
            Self::OmitUnknown => "numbers without a name are left out",
            Self::ThrottleBursts => "bursts of 713 Performance Threshold Exceeded",
            Self::ServerErrors => "some polls fail with a server error",
            Self::DroppedConnections => "some polls have their connection cut",
            Self::SlowResponses => "some answers are slow",
            Self::MalformedJson => "some polls get cut-off JSON",
            Self::AllFaults => "every kind of trouble above, mixed",
        }
    }

    /// What polls get before the job is done.
    pub(crate) fn pending_style(self) -> PendingStyle {
        match self {
            Self::ProcessingMessage => PendingStyle::ProcessingMessage,
            Self::PartialResults => PendingStyle::Partial,
            _ => PendingStyle::EmptyResult,
        }
    }

    /// The most records a page holds, when the service has a cap below what may be asked.
    pub(crate) fn page_cap(self) -> Option<usize> {
        match self {
            Self::SmallPages => Some(3),
            _ => None,
        }
    }

    /// How numbers with no name appear.
    pub(crate) fn unknown_style(self) -> UnknownStyle {
        match self {
            Self::NullNames => UnknownStyle::NullName,
            Self::OmitUnknown => UnknownStyle::Omitted,
            _ => UnknownStyle::EmptyName,
        }
    }

    /// The troubles this profile injects on submits (`is_submit`) or polls; a faulty request
    /// gets one of them.
    pub(crate) fn faults(self, is_submit: bool) -> &'static [FaultKind] {
        match self {
            Self::ThrottleBursts => &[FaultKind::Throttle],
            Self::ServerErrors => &[FaultKind::ServerError],
            Self::DroppedConnections => &[FaultKind::DroppedConnection],
            Self::SlowResponses => &[FaultKind::Slow],
            Self::MalformedJson => &[FaultKind::MalformedJson],
            Self::AllFaults if is_submit => &[FaultKind::Throttle, FaultKind::Slow],
            Self::AllFaults => &[
                FaultKind::Throttle,
                FaultKind::ServerError,
                FaultKind::DroppedConnection,
                FaultKind::Slow,
                FaultKind::MalformedJson,
            ],
            _ => &[],
        }
    }

    /// Which endpoints the profile's faults hit by default. Throttling is certain not to
    /// charge, so it hits submits too; the other faults hit polls only, because on a submit
    /// they leave the outcome unknown, which tests ask for explicitly.
    #[must_use]
    pub fn default_fault_target(self) -> FaultTarget {
        match self {
            Self::ThrottleBursts | Self::AllFaults => FaultTarget::Both,
            _ => FaultTarget::Results,
        }
    }
}

impl fmt::Display for FakeProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A profile name that is not one of [`FakeProfile::all`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("There is no fake-service profile called \"{name}\". The profiles are: {known}.")]
pub struct UnknownProfileError {
    /// The name that was given.
    pub name: String,
    /// The known names, comma-separated.
    pub known: String,
}

impl FromStr for FakeProfile {
    type Err = UnknownProfileError;

    /// Parses a profile name, ignoring case, surrounding spaces and `_` versus `-`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase().replace('_', "-");
        ALL_PROFILES
            .iter()
            .copied()
            .find(|profile| profile.name() == wanted)
            .ok_or_else(|| UnknownProfileError {
                name: text.to_owned(),
                known: ALL_PROFILES
                    .iter()
                    .map(|profile| profile.name())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back_to_its_profile() {
        for profile in FakeProfile::all() {
            assert_eq!(profile.name().parse::<FakeProfile>().unwrap(), *profile);
            assert_eq!(profile.to_string(), profile.name());
            assert!(!profile.description().is_empty());
        }
        assert_eq!(
            " Small_Pages ".parse::<FakeProfile>().unwrap(),
            FakeProfile::SmallPages
        );
    }

    #[test]
    fn unknown_names_list_the_known_ones() {
        let err = "flaky".parse::<FakeProfile>().unwrap_err();
        let message = err.to_string();
        assert!(message.contains("\"flaky\""), "{message}");
        assert!(
            message.contains("standard, processing-message"),
            "{message}"
        );
        assert!(message.contains("malformed-json"), "{message}");
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<_> = FakeProfile::all().iter().map(|p| p.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FakeProfile::all().len());
    }

    #[test]
    fn each_open_question_has_more_than_one_answer() {
        let all = FakeProfile::all();
        let pending: Vec<_> = all.iter().map(|p| p.pending_style()).collect();
        assert!(pending.contains(&PendingStyle::EmptyResult));
        assert!(pending.contains(&PendingStyle::ProcessingMessage));
        assert!(pending.contains(&PendingStyle::Partial));
        let unknown: Vec<_> = all.iter().map(|p| p.unknown_style()).collect();
        assert!(unknown.contains(&UnknownStyle::EmptyName));
        assert!(unknown.contains(&UnknownStyle::NullName));
        assert!(unknown.contains(&UnknownStyle::Omitted));
        assert!(all.iter().any(|p| p.page_cap().is_some()));
        let single: Vec<_> = all.iter().filter(|p| p.faults(false).len() == 1).collect();
        assert_eq!(single.len(), 5);
        let mixed = FakeProfile::AllFaults.faults(false);
        assert!(
            single
                .iter()
                .all(|p| p.faults(false).iter().all(|kind| mixed.contains(kind)))
        );
    }
}
