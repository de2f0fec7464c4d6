//! The Naam API token, wrapped so that it cannot leak.
//!
//! The token is the key to a paid account. It must never reach a log file, an error message, a
//! panic message or `Debug` output, so it lives in [`ApiToken`], whose `Debug` and `Display`
//! print `ApiToken(****)` and which cannot be serialised. Only the request code in this module's
//! parent reads the secret, to build the `x-access-token` header, and the fake service compares
//! a received header against it without ever showing it.

use std::fmt;

use reqwest::header::HeaderValue;

use super::error::NaamError;

/// What `Debug` and `Display` print in place of the secret.
const REDACTED: &str = "ApiToken(****)";

/// The token the fake service accepts unless told otherwise, used by the demo mode.
pub const DEMO_TOKEN: &str = "demo";

/// A Naam API token whose secret never shows up in logs, errors or debug output.
#[derive(Clone)]
pub struct ApiToken {
    secret: String,
}

impl ApiToken {
    /// Wraps a token as pasted by the user.
    ///
    /// Spaces and line breaks around the token are removed, because they are the usual leftovers
    /// of copying it from a web page. A token that is empty, or that holds characters an HTTP
    /// header cannot carry (spaces inside it, line breaks, non-ASCII letters), is refused.
    ///
    /// # Errors
    /// [`NaamError::MissingToken`] when nothing is left after trimming, and
    /// [`NaamError::MalformedToken`] for characters a token cannot contain.
    pub fn new(secret: impl Into<String>) -> Result<Self, NaamError> {
        let secret = secret.into();
        let trimmed = secret.trim();
        if trimmed.is_empty() {
            return Err(NaamError::MissingToken);
        }
        if !trimmed.bytes().all(|byte| byte.is_ascii_graphic()) {
            return Err(NaamError::MalformedToken);
        }
        Ok(Self {
            secret: trimmed.to_owned(),
        })
    }

    /// The demo token ([`DEMO_TOKEN`]), accepted by the fake service unless it is told otherwise.
    #[must_use]
    pub fn demo() -> Self {
        Self {
            secret: DEMO_TOKEN.to_owned(),
        }
    }

    /// The value of the `x-access-token` header, marked sensitive so that the HTTP stack leaves
    /// it out of its own debug output.
    pub(crate) fn header_value(&self) -> Result<HeaderValue, NaamError> {
        let mut value =
            HeaderValue::from_str(&self.secret).map_err(|_| NaamError::MalformedToken)?;
        value.set_sensitive(true);
        Ok(value)
    }

    /// Whether `candidate` is this token, compared in time that does not depend on where the
    /// first difference is.
    pub(crate) fn matches(&self, candidate: &[u8]) -> bool {
        let expected = self.secret.as_bytes();
        if expected.len() != candidate.len() {
            return false;
        }
        expected
            .iter()
            .zip(candidate)
            .fold(0_u8, |diff, (left, right)| diff | (left ^ right))
            == 0
    }
}

impl fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "sk-live-7f3a9c1e5b";

    #[test]
    fn debug_and_display_hide_the_secret() {
        let token = ApiToken::new(SECRET).unwrap();
        assert_eq!(format!("{token:?}"), "ApiToken(****)");
        assert_eq!(token.to_string(), "ApiToken(****)");
        assert!(!format!("{token:#?}").contains(SECRET));
        let wrapped = Some(vec![token]);
        assert!(!format!("{wrapped:?}").contains(SECRET));
    }

    #[test]
    fn surrounding_whitespace_is_trimmed() {
        let token = ApiToken::new(format!("  {SECRET}\r\n")).unwrap();
        assert!(token.matches(SECRET.as_bytes()));
        assert!(!token.matches(format!(" {SECRET}").as_bytes()));
    }

    #[test]
    fn empty_and_broken_tokens_are_refused() {
        assert!(matches!(ApiToken::new(""), Err(NaamError::MissingToken)));
        assert!(matches!(
            ApiToken::new(" \n\t"),
            Err(NaamError::MissingToken)
        ));
        assert!(matches!(
            ApiToken::new("abc def"),
            Err(NaamError::MalformedToken)
        ));
        assert!(matches!(
            ApiToken::new("abc\ndef"),
            Err(NaamError::MalformedToken)
        ));
        assert!(matches!(
            ApiToken::new("tökén"),
            Err(NaamError::MalformedToken)
        ));
    }

    #[test]
    fn refusal_messages_do_not_repeat_the_token() {
        let err = ApiToken::new("secret with-space").unwrap_err();
        assert!(!err.to_string().contains("secret"));
        assert!(!format!("{err:?}").contains("secret"));
    }

    #[test]
    fn header_value_is_sensitive_and_carries_the_secret() {
        let token = ApiToken::new(SECRET).unwrap();
        let value = token.header_value().unwrap();
        assert!(value.is_sensitive());
        assert_eq!(value.as_bytes(), SECRET.as_bytes());
        assert!(!format!("{value:?}").contains(SECRET));
    }

    #[test]
    fn demo_token_is_the_documented_one() {
        assert!(ApiToken::demo().matches(b"demo"));
        assert!(ApiToken::new(DEMO_TOKEN).unwrap().matches(b"demo"));
    }

    #[test]
    fn matches_rejects_other_tokens() {
        let token = ApiToken::new("abc").unwrap();
        assert!(token.matches(b"abc"));
        assert!(!token.matches(b"abd"));
        assert!(!token.matches(b"ab"));
        assert!(!token.matches(b""));
    }
}
