//! Fonts for Indian scripts, so names in them show as letters and not as boxes.
//!
//! egui's own fonts cover Latin, Greek, Cyrillic and emoji. The Noto Sans faces bundled in
//! `assets/fonts/` (under the SIL Open Font License, `assets/fonts/OFL.txt`) are added behind
//! them as fallbacks, so they are used only for the characters the defaults lack. egui does not
//! shape complex scripts yet, so conjuncts render as their separate letters; saved files are not
//! affected.

use std::sync::Arc;

/// The bundled fallback faces: a name for egui and the font file.
const FALLBACK_FONTS: [(&str, &[u8]); 9] = [
    (
        "noto-devanagari",
        include_bytes!("../../assets/fonts/NotoSansDevanagari-Regular.ttf"),
    ),
    (
        "noto-bengali",
        include_bytes!("../../assets/fonts/NotoSansBengali-Regular.ttf"),
    ),
    (
        "noto-tamil",
        include_bytes!("../../assets/fonts/NotoSansTamil-Regular.ttf"),
    ),
    (
        "noto-telugu",
        include_bytes!("../../assets/fonts/NotoSansTelugu-Regular.ttf"),
    ),
    (
        "noto-gujarati",
        include_bytes!("../../assets/fonts/NotoSansGujarati-Regular.ttf"),
    ),
    (
        "noto-gurmukhi",
        include_bytes!("../../assets/fonts/NotoSansGurmukhi-Regular.ttf"),
    ),
    (
        "noto-kannada",
        include_bytes!("../../assets/fonts/NotoSansKannada-Regular.ttf"),
    ),
    (
        "noto-malayalam",
        include_bytes!("../../assets/fonts/NotoSansMalayalam-Regular.ttf"),
    ),
    (
        "noto-oriya",
        include_bytes!("../../assets/fonts/NotoSansOriya-Regular.ttf"),
    ),
];

/// egui's default fonts with the Indian-script faces appended as fallbacks to both families.
pub fn definitions() -> egui::FontDefinitions {
    let mut fonts = egui::FontDefinitions::default();
    for (name, bytes) in FALLBACK_FONTS {
        fonts.font_data.insert(
            name.to_owned(),
            Arc::new(egui::FontData::from_static(bytes)),
        );
        for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
            fonts
                .families
                .entry(family)
                .or_default()
                .push(name.to_owned());
        }
    }
    fonts
}

/// Installs [`definitions`] in `ctx`.
pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indian_scripts_come_after_the_default_fonts() {
        let fonts = definitions();
        let proportional = &fonts.families[&egui::FontFamily::Proportional];
        let defaults = egui::FontDefinitions::default();
        let default_count = defaults.families[&egui::FontFamily::Proportional].len();
        assert_eq!(proportional.len(), default_count + FALLBACK_FONTS.len());
        assert_eq!(proportional[default_count], "noto-devanagari");
    }

    #[test]
    fn names_in_indian_scripts_have_glyphs() {
        let names = "राम ராமன் রাম ગોપાલ ਗੁਰਪ੍ਰੀਤ ಕೃಷ್ಣ മനു ଓଡ଼ିଆ తెలుగు";
        // The harness fails a frame that draws a character no font has.
        let mut harness = egui_kittest::Harness::builder()
            .with_context_setup(install)
            .build_ui(|ui| {
                ui.label(names);
            });
        harness.run();
        let font = egui::FontId::proportional(14.0);
        harness.ctx.fonts_mut(|fonts| {
            for ch in names.chars().filter(|ch| !ch.is_whitespace()) {
                assert!(fonts.has_glyph(&font, ch), "no glyph for {ch}");
            }
        });
    }

    #[test]
    fn without_the_bundled_fonts_devanagari_has_no_glyphs() {
        let mut harness = egui_kittest::Harness::builder()
            .allow_missing_glyphs()
            .build_ui(|ui| {
                ui.label("राम");
            });
        harness.run();
        let font = egui::FontId::proportional(14.0);
        assert!(!harness.ctx.fonts_mut(|fonts| fonts.has_glyph(&font, 'र')));
    }
}
