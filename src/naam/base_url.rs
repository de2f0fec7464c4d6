//! Where the Naam API lives, checked before anything is sent there.
//!
//! The address can be changed (a setting, `--api-url`, `NAAM_API_URL`) so that the app can talk
//! to the fake service, a company proxy or a future Naam host. Because every request carries the
//! account's token, plain `http://` is refused unless the address is this computer itself.

use std::fmt;
use std::net::IpAddr;

use reqwest::Url;

use super::error::NaamError;

/// Naam's public API address.
pub const DEFAULT_BASE_URL: &str = "https://app.naam.ai";

/// The path of the submit endpoint, relative to the base address.
const SUBMIT_PATH: &str = "api/v1/prospect/bulk";

/// The path of the results endpoint, relative to the base address.
const RESULTS_PATH: &str = "api/v1/prospect/bulk/enrich";

/// A checked base address for the Naam API: `https://` anywhere, or `http://` on loopback only.
///
/// It is kept as the normalised text of a parsed URL with no query or fragment, so the endpoint
/// addresses are built by appending a path.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiBaseUrl {
    text: String,
    is_loopback: bool,
}

impl ApiBaseUrl {
    /// Parses and checks a base address such as `https://app.naam.ai` or `http://127.0.0.1:8080`.
    ///
    /// A path is allowed (for a proxy that serves the API below a prefix); a query, a fragment
    /// and a user name or password are not, since they would end up in logs.
    ///
    /// # Errors
    /// [`NaamError::InvalidBaseUrl`] for text that is not a usable web address, and
    /// [`NaamError::InsecureBaseUrl`] for `http://` to anything but this computer.
    pub fn parse(text: &str) -> Result<Self, NaamError> {
        let text = text.trim();
        let invalid = |reason: &str| NaamError::InvalidBaseUrl {
            url: text.to_owned(),
            reason: reason.to_owned(),
        };
        let url = Url::parse(text).map_err(|_| invalid("it is not a web address"))?;
        if !url.username().is_empty() || url.password().is_some() {
            // Do not echo the address: it holds a password.
            return Err(NaamError::InvalidBaseUrl {
                url: String::from("(hidden: it contains a user name or password)"),
                reason: String::from("it contains a user name or password"),
            });
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid("it must not contain '?' or '#'"));
        }
        let Some(host) = url.host_str() else {
            return Err(invalid("it has no server name"));
        };
        let is_loopback = is_loopback_host(host);
        match url.scheme() {
            "https" => {}
            "http" if is_loopback => {}
            "http" => {
                return Err(NaamError::InsecureBaseUrl {
                    url: text.to_owned(),
                });
            }
            _ => return Err(invalid("it must start with https://")),
        }
        Ok(Self {
            text: url.as_str().to_owned(),
            is_loopback,
        })
    }

    /// The address as text, e.g. `https://app.naam.ai/`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether requests to this address stay on this computer.
    #[must_use]
    pub fn is_loopback(&self) -> bool {
        self.is_loopback
    }

    /// The full address of the submit endpoint.
    pub(crate) fn submit_url(&self) -> String {
        self.endpoint(SUBMIT_PATH)
    }

    /// The full address of the results endpoint.
    pub(crate) fn results_url(&self) -> String {
        self.endpoint(RESULTS_PATH)
    }

    fn endpoint(&self, relative: &str) -> String {
        format!("{}/{relative}", self.text.trim_end_matches('/'))
    }
}

impl Default for ApiBaseUrl {
    fn default() -> Self {
        Self {
            text: format!("{DEFAULT_BASE_URL}/"),
            is_loopback: false,
        }
    }
}

impl fmt::Display for ApiBaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for ApiBaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiBaseUrl({})", self.text)
    }
}

/// Whether a host as written in a URL (`localhost`, `127.0.0.1`, `[::1]`) is this computer.
fn is_loopback_host(host: &str) -> bool {
    let unbracketed = host
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .unwrap_or(host);
    match unbracketed.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.trim_end_matches('.').eq_ignore_ascii_case("localhost"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_naams_public_address() {
        let base = ApiBaseUrl::default();
        assert_eq!(base, ApiBaseUrl::parse(DEFAULT_BASE_URL).unwrap());
        assert_eq!(base.as_str(), "https://app.naam.ai/");
        assert_eq!(
            base.submit_url(),
            "https://app.naam.ai/api/v1/prospect/bulk"
        );
        assert_eq!(
            base.results_url(),
            "https://app.naam.ai/api/v1/prospect/bulk/enrich"
        );
    }

    #[test]
    fn https_anywhere_is_accepted() {
        let base = ApiBaseUrl::parse(" https://proxy.example.com/naam/ ").unwrap();
        assert!(!base.is_loopback());
        assert_eq!(
            base.submit_url(),
            "https://proxy.example.com/naam/api/v1/prospect/bulk"
        );
    }

    #[test]
    fn http_on_loopback_is_accepted() {
        for text in [
            "http://127.0.0.1:8080",
            "http://127.8.9.10",
            "http://localhost:3000/",
            "http://LOCALHOST",
            "http://[::1]:9000",
        ] {
            let base = ApiBaseUrl::parse(text).unwrap();
            assert!(base.is_loopback(), "{text}");
        }
    }

    #[test]
    fn http_elsewhere_is_refused() {
        for text in [
            "http://app.naam.ai",
            "http://192.168.1.20:8080",
            "http://localhost.example.com",
            "http://[::2]",
            "http://128.0.0.1",
        ] {
            let err = ApiBaseUrl::parse(text).unwrap_err();
            assert!(
                matches!(err, NaamError::InsecureBaseUrl { .. }),
                "{text}: {err:?}"
            );
            assert!(err.to_string().contains("https://"), "{err}");
        }
    }

    #[test]
    fn other_shapes_are_refused_with_a_reason() {
        for (text, reason) in [
            ("app.naam.ai", "not a web address"),
            ("ftp://app.naam.ai", "https://"),
            ("https://app.naam.ai/?x=1", "'?'"),
            ("https://app.naam.ai/#top", "'#'"),
        ] {
            let err = ApiBaseUrl::parse(text).unwrap_err();
            assert!(
                matches!(err, NaamError::InvalidBaseUrl { .. }),
                "{text}: {err:?}"
            );
            assert!(err.to_string().contains(reason), "{err}");
        }
    }

    #[test]
    fn credentials_in_the_address_are_refused_without_echoing_them() {
        let err = ApiBaseUrl::parse("https://user:hunter2@app.naam.ai").unwrap_err();
        assert!(matches!(err, NaamError::InvalidBaseUrl { .. }));
        assert!(!err.to_string().contains("hunter2"));
        assert!(!format!("{err:?}").contains("hunter2"));
    }
}
