//! The kinds of lookup status a row can have, and the tint each kind gives its row.
//!
//! The enrichment code writes a `Lookup Status` cell for every row it touches. The grid reads
//! that cell to colour the row and to show only rows of one kind, so staff can see at a glance
//! which numbers were found and which need attention.

use egui::Color32;

/// What the lookup said about a row, read from its `Lookup Status` cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatusKind {
    /// A caller name was found.
    Found,
    /// The number was looked up and has no name.
    NotFound,
    /// The cell does not hold a usable mobile number.
    Invalid,
    /// The number was not sent (credits used up, cancelled, …).
    NotLookedUp,
    /// The number was sent and the answer has not arrived yet.
    Pending,
}

impl StatusKind {
    /// Every kind, in the order they are offered in filters.
    pub const ALL: [Self; 5] = [
        Self::Found,
        Self::NotFound,
        Self::Invalid,
        Self::NotLookedUp,
        Self::Pending,
    ];

    /// Reads a status cell: `found`, `not found`, `invalid number: …`, `not looked up: …` or
    /// `pending`, ignoring leading spaces; `None` for anything else (an empty cell included).
    pub fn of(status: &str) -> Option<Self> {
        let status = status.trim_start();
        // "not found" and "not looked up" both start with "not ", so the longer prefixes go first.
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

    /// A short name for menus and filters.
    pub fn label(self) -> &'static str {
        match self {
            Self::Found => "Found",
            Self::NotFound => "Not found",
            Self::Invalid => "Invalid number",
            Self::NotLookedUp => "Not looked up",
            Self::Pending => "Pending",
        }
    }

    /// The background of rows of this kind: soft colours that keep the text readable, darker
    /// ones on a dark theme.
    pub fn tint(self, dark_mode: bool) -> Color32 {
        let (r, g, b) = match (self, dark_mode) {
            (Self::Found, false) => (214, 240, 214),
            (Self::NotFound, false) => (232, 232, 232),
            (Self::Invalid, false) => (248, 218, 218),
            (Self::NotLookedUp, false) => (250, 236, 200),
            (Self::Pending, false) => (216, 228, 250),
            (Self::Found, true) => (32, 66, 38),
            (Self::NotFound, true) => (58, 58, 58),
            (Self::Invalid, true) => (84, 34, 34),
            (Self::NotLookedUp, true) => (78, 62, 22),
            (Self::Pending, true) => (30, 48, 84),
        };
        Color32::from_rgb(r, g, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_status_the_enricher_writes() {
        assert_eq!(StatusKind::of("found"), Some(StatusKind::Found));
        assert_eq!(StatusKind::of("not found"), Some(StatusKind::NotFound));
        assert_eq!(
            StatusKind::of("invalid number: too short"),
            Some(StatusKind::Invalid)
        );
        assert_eq!(
            StatusKind::of("not looked up: credits used up"),
            Some(StatusKind::NotLookedUp)
        );
        assert_eq!(StatusKind::of("  pending"), Some(StatusKind::Pending));
        assert_eq!(StatusKind::of("Found"), Some(StatusKind::Found));
    }

    #[test]
    fn other_text_has_no_kind() {
        assert_eq!(StatusKind::of(""), None);
        assert_eq!(StatusKind::of("foun"), None);
        assert_eq!(StatusKind::of("lost"), None);
        assert_eq!(StatusKind::of("नहीं"), None);
    }

    #[test]
    fn every_kind_has_its_own_tint_in_both_themes() {
        for dark_mode in [false, true] {
            let tints: Vec<Color32> = StatusKind::ALL
                .iter()
                .map(|kind| kind.tint(dark_mode))
                .collect();
            for (i, tint) in tints.iter().enumerate() {
                assert!(!tints[..i].contains(tint), "{tint:?} repeats");
            }
        }
        assert_ne!(StatusKind::Found.tint(false), StatusKind::Found.tint(true));
    }
}
