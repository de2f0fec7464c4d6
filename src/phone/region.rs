//! The country whose numbering plan a file's numbers are read in.
//!
//! The region is a setting (`--region CC` on the command line, default India): it decides which
//! numbers count as "ours" (sent to Naam) and which belong to another country.

use std::fmt;
use std::str::FromStr;

use rlibphonenumber::{PHONE_NUMBER_UTIL, PhoneNumberType};

/// A country (by its two-letter ISO code) together with its international calling code.
///
/// Built by parsing a code such as `"IN"` or `"ae"`; only countries the phone-number metadata
/// knows are accepted. The default is India.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Region {
    /// The library's name for the country.
    lib: rlibphonenumber::Region,
    /// The international calling code, such as 91 for India.
    calling_code: u16,
    /// How many digits a mobile number has here without prefixes (10 for India), used to
    /// tell staff how far off a short or long number is.
    mobile_len: u8,
}

/// Why a region setting could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionError {
    /// The text is not two letters.
    #[error(
        "“{given}” is not a country code. Use the two-letter code of the country, \
         like IN for India or AE for the United Arab Emirates."
    )]
    NotTwoLetters {
        /// What the user gave, as typed.
        given: String,
    },
    /// Two letters, but not a country with a known numbering plan.
    #[error(
        "“{code}” is not a country we know the phone numbers of. Use the two-letter code of \
         the country, like IN for India or AE for the United Arab Emirates."
    )]
    Unknown {
        /// The code, in capitals.
        code: String,
    },
}

impl Region {
    /// India (+91), the default region.
    pub const INDIA: Self = Self {
        lib: rlibphonenumber::Region::IN,
        calling_code: 91,
        mobile_len: 10,
    };

    /// The international calling code, such as 91 for India.
    #[must_use]
    pub const fn calling_code(self) -> u16 {
        self.calling_code
    }

    /// How many digits a mobile number has here without prefixes (10 for India).
    #[must_use]
    pub fn mobile_len(self) -> usize {
        usize::from(self.mobile_len)
    }

    /// Whether this is India, whose mobiles the cleaner knows without asking the library.
    #[must_use]
    pub fn is_india(self) -> bool {
        self.lib == rlibphonenumber::Region::IN
    }

    /// The library's name for the country, for the modules that call the library.
    pub(crate) const fn lib(self) -> rlibphonenumber::Region {
        self.lib
    }
}

impl Default for Region {
    fn default() -> Self {
        Self::INDIA
    }
}

impl FromStr for Region {
    type Err = RegionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        if trimmed.len() != 2 || !trimmed.bytes().all(|byte| byte.is_ascii_alphabetic()) {
            return Err(RegionError::NotTwoLetters {
                given: text.to_owned(),
            });
        }
        let code = trimmed.to_ascii_uppercase();
        let unknown = || RegionError::Unknown { code: code.clone() };
        let lib = rlibphonenumber::Region::from_code(&code).map_err(|_| unknown())?;
        let calling_code = PHONE_NUMBER_UTIL
            .get_country_code_for_region(lib)
            .and_then(|calling_code| u16::try_from(calling_code).ok())
            .ok_or_else(unknown)?;
        // The example mobile number gives the usual length; a country without one (there are
        // a few tiny ones) falls back to the longest length E.164 allows for it.
        let mobile_len = PHONE_NUMBER_UTIL
            .get_example_number_for_type_and_region(lib, PhoneNumberType::Mobile)
            .ok()
            .and_then(|example| u8::try_from(example.get_national_significant_number().len()).ok())
            .unwrap_or(15 - u8::try_from(calling_code.to_string().len()).unwrap_or(3));
        Ok(Self {
            lib,
            calling_code,
            mobile_len,
        })
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.lib.as_region_str().as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_india() {
        assert_eq!(Region::default(), Region::INDIA);
        assert_eq!(Region::default().to_string(), "IN");
        assert_eq!(Region::default().calling_code(), 91);
        assert!(Region::default().is_india());
    }

    #[test]
    fn parses_codes_in_any_case_with_spaces() {
        let india: Region = " in ".parse().unwrap();
        assert_eq!(india, Region::INDIA);
        let emirates: Region = "ae".parse().unwrap();
        assert_eq!(emirates.to_string(), "AE");
        assert_eq!(emirates.calling_code(), 971);
        assert!(!emirates.is_india());
        let britain: Region = "GB".parse().unwrap();
        assert_eq!(britain.calling_code(), 44);
        assert_eq!(britain.mobile_len(), 10);
        assert_eq!(emirates.mobile_len(), 9);
        assert_eq!("in".parse::<Region>().unwrap().mobile_len(), 10);
    }

    #[test]
    fn rejects_what_is_not_two_letters() {
        for given in ["", "I", "IND", "91", "+91", "I1", "ইন"] {
            let err = given.parse::<Region>().unwrap_err();
            assert_eq!(
                err,
                RegionError::NotTwoLetters {
                    given: given.to_owned()
                },
                "{given}"
            );
            assert!(err.to_string().contains("like IN for India"), "{err}");
        }
    }

    #[test]
    fn rejects_unknown_countries() {
        let err = "qq".parse::<Region>().unwrap_err();
        assert_eq!(err, RegionError::Unknown { code: "QQ".into() });
        assert!(
            err.to_string().starts_with("“QQ” is not a country"),
            "{err}"
        );
        assert!("ZZ".parse::<Region>().is_err());
    }
}
