//! The tint each kind of lookup status gives its row.
//!
//! The enrichment code writes a `Lookup Status` cell for every row it touches. The grid reads
//! that cell to colour the row and to show only rows of one kind, so staff can see at a glance
//! which numbers were found and which need attention.

use egui::Color32;

use crate::enrich::outcome::StatusKind;

/// The background of rows of `kind`: soft colours that keep the text readable, darker ones on
/// a dark theme.
pub fn tint(kind: StatusKind, dark_mode: bool) -> Color32 {
    let (r, g, b) = match (kind, dark_mode) {
        (StatusKind::Found, false) => (214, 240, 214),
        (StatusKind::NotFound, false) => (232, 232, 232),
        (StatusKind::Invalid, false) => (248, 218, 218),
        (StatusKind::NotLookedUp, false) => (250, 236, 200),
        (StatusKind::Pending, false) => (216, 228, 250),
        (StatusKind::Found, true) => (32, 66, 38),
        (StatusKind::NotFound, true) => (58, 58, 58),
        (StatusKind::Invalid, true) => (84, 34, 34),
        (StatusKind::NotLookedUp, true) => (78, 62, 22),
        (StatusKind::Pending, true) => (30, 48, 84),
    };
    Color32::from_rgb(r, g, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_tint_in_both_themes() {
        for dark_mode in [false, true] {
            let tints: Vec<Color32> = StatusKind::ALL
                .iter()
                .map(|kind| tint(*kind, dark_mode))
                .collect();
            for (i, color) in tints.iter().enumerate() {
                assert!(!tints[..i].contains(color), "{color:?} repeats");
            }
        }
        assert_ne!(
            tint(StatusKind::Found, false),
            tint(StatusKind::Found, true)
        );
    }
}
