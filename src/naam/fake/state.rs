//! The fake service's account, jobs and statistics, and how it answers each request.
//!
//! All of the fake's behaviour lives here as plain functions from a request to a [`Reply`], so
//! the HTTP layer stays a thin adapter and the rules (which check comes first, what is charged,
//! how pages are cut) read in one place. The order of checks for a submit is: token, rate
//! limit, injected fault, body shape (406), bulk disabled (402), bulk limit (401), daily limit
//! (402), credits (402). A submit that needs more credits or daily allowance than is left is
//! refused whole and nothing is charged; the public reference does not say what Naam does, and
//! refusing whole is the behaviour that lets the app tell the user exactly what was not looked
//! up.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::time::Instant;

use super::FakeConfig;
use super::names::expected_name;
use super::profile::{FaultKind, PendingStyle, UnknownStyle};
use crate::naam::reply::STATUS_THROTTLED;

/// The documented messages, as the fake sends them.
const MSG_SUCCESS: &str = "success";
const MSG_THROTTLED: &str = "Performance Threshold Exceeded";
const MSG_NOT_ACCEPTABLE: &str = "Not Acceptable";
const MSG_BULK_DISABLED: &str = "Bulk functionality is disabled";
const MSG_CREDITS: &str = "Credits exhausted";
const MSG_DAILY_LIMIT: &str = "Daily limit exhausted";
const MSG_QUANTITY: &str = "Quantity exceeds bulk limit";
const MSG_INVALID_ID: &str = "Invalid Enrichment Id";
/// Not documented: the page does not say how a bad token is answered.
const MSG_UNAUTHORISED: &str = "Unauthorized";
/// Not documented: one plausible way to say "not done yet".
const MSG_PROCESSING: &str = "Processing";

/// The success code the reference mentions.
const SUCCESS_CODE: u32 = 2001;

/// The page and limit used when a poll does not give them, as documented.
const DEFAULT_PAGE: usize = 1;
const DEFAULT_LIMIT: usize = 10;

/// The 5xx statuses an injected server error cycles through.
const SERVER_ERROR_STATUSES: [u16; 3] = [500, 502, 503];

/// A quick, well-mixed 64-bit hash step (`SplitMix64`), for seeded decisions and ids.
pub(crate) fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// What the HTTP layer should send back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reply {
    /// The HTTP status, possibly 713.
    pub(crate) status: u16,
    /// The body, normally JSON (cut off on purpose for the malformed-JSON fault).
    pub(crate) body: String,
    /// A `Retry-After` header in seconds.
    pub(crate) retry_after_secs: Option<u64>,
    /// How long to wait before answering.
    pub(crate) delay: Duration,
    /// Cut the connection instead of answering.
    pub(crate) should_drop_connection: bool,
}

impl Reply {
    fn json(status: u16, value: &Value) -> Self {
        Self {
            status,
            body: value.to_string(),
            retry_after_secs: None,
            delay: Duration::ZERO,
            should_drop_connection: false,
        }
    }

    fn message(status: u16, message: &str) -> Self {
        Self::json(status, &json!({ "message": message }))
    }

    fn throttled(retry_after_secs: Option<u64>) -> Self {
        Self {
            retry_after_secs,
            ..Self::message(STATUS_THROTTLED, MSG_THROTTLED)
        }
    }

    /// Cuts the body in the middle, leaving JSON no parser accepts.
    fn cut_off(mut self) -> Self {
        let half = self.body.len() / 2;
        let cut = (0..=half)
            .rev()
            .find(|&idx| self.body.is_char_boundary(idx))
            .unwrap_or(0);
        self.body.truncate(cut);
        self
    }
}

/// Counts of what the fake has seen, so tests can check what was paid for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FakeStats {
    /// Every request that reached the service, answered or not.
    pub requests_served: u64,
    /// Submit requests received, accepted or not.
    pub submit_requests: u64,
    /// Submits accepted (and charged).
    pub submissions: u64,
    /// Numbers in accepted submits, counting repeats.
    pub numbers_submitted: u64,
    /// Results requests received.
    pub results_requests: u64,
    /// Accepted submits whose results were asked for at least once: a client polls a batch
    /// only after it has written its id down.
    pub jobs_polled: u64,
    /// For each number, how many accepted submits held it.
    pub submit_counts: HashMap<String, u32>,
}

impl FakeStats {
    /// The most times any one number was paid for (0 when nothing was submitted).
    #[must_use]
    pub fn max_submits_per_number(&self) -> u32 {
        self.submit_counts.values().copied().max().unwrap_or(0)
    }
}

/// One accepted batch.
struct Job {
    /// Each distinct number of the batch, in submit order, with its name if it has one.
    records: Vec<(String, Option<String>)>,
    created: Instant,
    /// Results requests for this job so far.
    num_polls: u32,
}

/// Deterministic, seeded fault injection with a cap on faults in a row.
#[derive(Default)]
struct FaultDice {
    num_rolls: u64,
    num_in_a_row: u32,
    burst_left: u32,
}

/// A fixed-window request counter.
struct RateWindow {
    started: Instant,
    num_requests: u32,
}

/// Everything that changes while the fake runs.
struct Inner {
    jobs: HashMap<String, Job>,
    num_jobs: u64,
    credits_left: Option<u64>,
    used_today: u64,
    stats: FakeStats,
    dice: FaultDice,
    window: RateWindow,
}

/// The fake service's state, shared by all connections.
pub(crate) struct FakeState {
    config: FakeConfig,
    inner: Mutex<Inner>,
}

/// Which endpoint a request is for.
#[derive(Clone, Copy)]
enum Endpoint {
    Submit,
    Results,
}

impl FakeState {
    pub(crate) fn new(config: FakeConfig) -> Self {
        let inner = Inner {
            jobs: HashMap::new(),
            num_jobs: 0,
            credits_left: config.credits,
            used_today: 0,
            stats: FakeStats::default(),
            dice: FaultDice::default(),
            window: RateWindow {
                started: Instant::now(),
                num_requests: 0,
            },
        };
        Self {
            config,
            inner: Mutex::new(inner),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // The state stays consistent between statements, so a panic elsewhere leaves it usable.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn stats(&self) -> FakeStats {
        self.lock().stats.clone()
    }

    pub(crate) fn credits_left(&self) -> Option<u64> {
        self.lock().credits_left
    }

    /// Answers `POST /api/v1/prospect/bulk`.
    pub(crate) fn submit(&self, token: Option<&[u8]>, body: &[u8]) -> Reply {
        let mut inner = self.lock();
        inner.stats.requests_served += 1;
        inner.stats.submit_requests += 1;
        let fault = match self.gate(&mut inner, token, Endpoint::Submit) {
            Ok(fault) => fault,
            Err(reply) => return reply,
        };
        let delay = self.delay_for(fault);
        let Some(numbers) = parse_submit_body(body) else {
            return with_delay(Reply::message(406, MSG_NOT_ACCEPTABLE), delay);
        };
        if !self.config.is_bulk_enabled {
            return with_delay(Reply::message(402, MSG_BULK_DISABLED), delay);
        }
        if numbers.len() > self.config.bulk_limit {
            return with_delay(Reply::message(401, MSG_QUANTITY), delay);
        }
        let quantity = u64::try_from(numbers.len()).unwrap_or(u64::MAX);
        let is_over_daily = self
            .config
            .daily_limit
            .is_some_and(|limit| inner.used_today.saturating_add(quantity) > limit);
        if is_over_daily {
            return with_delay(Reply::message(402, MSG_DAILY_LIMIT), delay);
        }
        if inner.credits_left.is_some_and(|left| quantity > left) {
            return with_delay(Reply::message(402, MSG_CREDITS), delay);
        }
        let id = self.accept(&mut inner, numbers, quantity);
        let reply = with_delay(
            Reply::json(
                200,
                &json!({
                    "message": MSG_SUCCESS,
                    "code": SUCCESS_CODE,
                    "result": { "enrichmentId": id },
                }),
            ),
            delay,
        );
        finish_with_fault(reply, fault)
    }

    /// Charges for and stores an accepted batch; returns its id.
    fn accept(&self, inner: &mut Inner, numbers: Vec<String>, quantity: u64) -> String {
        if let Some(left) = inner.credits_left.as_mut() {
            *left -= quantity;
        }
        inner.used_today += quantity;
        inner.stats.submissions += 1;
        inner.stats.numbers_submitted += quantity;
        let mut records: Vec<(String, Option<String>)> = Vec::with_capacity(numbers.len());
        let mut seen = std::collections::HashSet::with_capacity(numbers.len());
        for number in numbers {
            *inner.stats.submit_counts.entry(number.clone()).or_default() += 1;
            if seen.insert(number.clone()) {
                let name = expected_name(&number);
                records.push((number, name));
            }
        }
        inner.num_jobs += 1;
        let id = format!(
            "{:08x}{:016x}",
            inner.num_jobs,
            splitmix64(self.config.faults.seed ^ inner.num_jobs)
        );
        inner.jobs.insert(
            id.clone(),
            Job {
                records,
                created: Instant::now(),
                num_polls: 0,
            },
        );
        id
    }

    /// Answers `GET /api/v1/prospect/bulk/enrich` with the given query parameters (`None` when
    /// the query string could not be read).
    pub(crate) fn results(
        &self,
        token: Option<&[u8]>,
        params: Option<&HashMap<String, String>>,
    ) -> Reply {
        let mut inner = self.lock();
        inner.stats.requests_served += 1;
        inner.stats.results_requests += 1;
        let fault = match self.gate(&mut inner, token, Endpoint::Results) {
            Ok(fault) => fault,
            Err(reply) => return reply,
        };
        let delay = self.delay_for(fault);
        let Some(params) = params else {
            return with_delay(Reply::message(406, MSG_NOT_ACCEPTABLE), delay);
        };
        let (Some(page), Some(limit)) = (
            positive_param(params, "page", DEFAULT_PAGE),
            positive_param(params, "limit", DEFAULT_LIMIT),
        ) else {
            return with_delay(Reply::message(406, MSG_NOT_ACCEPTABLE), delay);
        };
        let inner = &mut *inner;
        let job = params
            .get("enrichmentId")
            .and_then(|id| inner.jobs.get_mut(id));
        let Some(job) = job else {
            return with_delay(Reply::message(400, MSG_INVALID_ID), delay);
        };
        if job.num_polls == 0 {
            inner.stats.jobs_polled += 1;
        }
        let reply = with_delay(self.page_of(job, page, limit), delay);
        finish_with_fault(reply, fault)
    }

    /// Token, rate limit and fault checks shared by both endpoints. `Err` is the answer to
    /// send at once; `Ok` carries a fault still to apply.
    fn gate(
        &self,
        inner: &mut Inner,
        token: Option<&[u8]>,
        endpoint: Endpoint,
    ) -> Result<Option<FaultKind>, Reply> {
        if !token.is_some_and(|token| self.config.token.matches(token)) {
            return Err(Reply::message(401, MSG_UNAUTHORISED));
        }
        if let Some(wait) = self.rate_limited(inner) {
            return Err(Reply::throttled(Some(wait)));
        }
        let fault = self.roll_fault(inner, endpoint);
        match fault {
            Some(FaultKind::Throttle) => Err(Reply::throttled(None)),
            Some(FaultKind::ServerError) => {
                let idx = usize::try_from(inner.dice.num_rolls % 3).unwrap_or(0);
                let status = SERVER_ERROR_STATUSES.get(idx).copied().unwrap_or(500);
                Err(Reply::message(status, "Service Unavailable"))
            }
            other => Ok(other),
        }
    }

    /// Counts a request against the rate limit; returns the seconds to wait when over it.
    fn rate_limited(&self, inner: &mut Inner) -> Option<u64> {
        let limit = self.config.rate_limit?;
        let now = Instant::now();
        if now.duration_since(inner.window.started) >= limit.window {
            inner.window = RateWindow {
                started: now,
                num_requests: 0,
            };
        }
        if inner.window.num_requests < limit.max_requests {
            inner.window.num_requests += 1;
            return None;
        }
        let left = limit
            .window
            .saturating_sub(now.duration_since(inner.window.started));
        let whole_secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
        Some(whole_secs.max(1))
    }

    /// Decides, from the seed and the number of rolls so far, whether this request gets the
    /// profile's fault. Never more than `max_in_a_row` faults follow each other, so a client
    /// that retries enough always gets through.
    fn roll_fault(&self, inner: &mut Inner, endpoint: Endpoint) -> Option<FaultKind> {
        let kinds = self
            .config
            .profile
            .faults(matches!(endpoint, Endpoint::Submit));
        if kinds.is_empty() {
            return None;
        }
        let settings = &self.config.faults;
        let is_targeted = match endpoint {
            Endpoint::Submit => settings.target.includes_submit(),
            Endpoint::Results => settings.target.includes_results(),
        };
        if !is_targeted {
            return None;
        }
        let dice = &mut inner.dice;
        dice.num_rolls += 1;
        if dice.burst_left > 0 {
            dice.burst_left -= 1;
            dice.num_in_a_row += 1;
            return Some(FaultKind::Throttle);
        }
        if dice.num_in_a_row >= settings.max_in_a_row {
            dice.num_in_a_row = 0;
            return None;
        }
        let roll = splitmix64(settings.seed ^ dice.num_rolls.wrapping_mul(0x2545_f491_4f6c_dd1d));
        if roll % 100 < u64::from(settings.rate_percent) {
            let pick = usize::try_from((roll / 100) % kinds.len() as u64).unwrap_or(0);
            let kind = kinds.get(pick).copied().unwrap_or(FaultKind::Throttle);
            dice.num_in_a_row += 1;
            if kind == FaultKind::Throttle {
                dice.burst_left = settings.max_in_a_row.saturating_sub(1);
            }
            Some(kind)
        } else {
            dice.num_in_a_row = 0;
            None
        }
    }

    /// The pause before answering, for the slow-responses fault.
    fn delay_for(&self, fault: Option<FaultKind>) -> Duration {
        if fault == Some(FaultKind::Slow) {
            self.config.slow_delay
        } else {
            Duration::ZERO
        }
    }

    /// One page of a job's results, as far as the job has got.
    fn page_of(&self, job: &mut Job, page: usize, limit: usize) -> Reply {
        let profile = self.config.profile;
        let polls_before = job.num_polls;
        job.num_polls = job.num_polls.saturating_add(1);
        let time_share = if self.config.processing_delay.is_zero() {
            1.0
        } else {
            (job.created.elapsed().as_secs_f64() / self.config.processing_delay.as_secs_f64())
                .min(1.0)
        };
        let poll_share = if self.config.polls_before_done == 0 {
            1.0
        } else {
            (f64::from(polls_before) / f64::from(self.config.polls_before_done)).min(1.0)
        };
        let share = time_share.min(poll_share);
        let is_done = share >= 1.0;
        let listed: Vec<Value> = job
            .records
            .iter()
            .filter_map(|(mobile, name)| {
                record_json(mobile, name.as_deref(), profile.unknown_style())
            })
            .collect();
        let visible = if is_done {
            listed.len()
        } else {
            match profile.pending_style() {
                PendingStyle::EmptyResult => 0,
                PendingStyle::ProcessingMessage => {
                    return Reply::message(200, MSG_PROCESSING);
                }
                PendingStyle::Partial => share_of(listed.len(), share),
            }
        };
        let per_page = profile.page_cap().map_or(limit, |cap| limit.min(cap));
        let first = page.saturating_sub(1).saturating_mul(per_page);
        let records: Vec<&Value> = listed
            .iter()
            .take(visible)
            .skip(first)
            .take(per_page)
            .collect();
        Reply::json(
            200,
            &json!({ "message": MSG_SUCCESS, "code": SUCCESS_CODE, "result": records }),
        )
    }
}

/// `share` (0 to 1) of `count`, rounded down.
fn share_of(count: usize, share: f64) -> usize {
    let count_f = count as f64;
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "the product lies between 0 and count, which came from a usize"
    )]
    let shown = (count_f * share.clamp(0.0, 1.0)).floor() as usize;
    shown.min(count)
}

/// A result record as the profile writes it; `None` when the profile leaves it out.
fn record_json(mobile: &str, name: Option<&str>, style: UnknownStyle) -> Option<Value> {
    match (name, style) {
        (Some(name), _) => Some(json!({ "mobile": mobile, "name": name })),
        (None, UnknownStyle::EmptyName) => Some(json!({ "mobile": mobile, "name": "" })),
        (None, UnknownStyle::NullName) => Some(json!({ "mobile": mobile, "name": null })),
        (None, UnknownStyle::Omitted) => None,
    }
}

/// Applies the faults that act after the request was handled.
fn finish_with_fault(reply: Reply, fault: Option<FaultKind>) -> Reply {
    match fault {
        Some(FaultKind::MalformedJson) => reply.cut_off(),
        Some(FaultKind::DroppedConnection) => Reply {
            should_drop_connection: true,
            ..reply
        },
        _ => reply,
    }
}

fn with_delay(reply: Reply, delay: Duration) -> Reply {
    Reply { delay, ..reply }
}

/// Reads a positive whole-number query parameter, or its default when absent.
fn positive_param(params: &HashMap<String, String>, key: &str, default: usize) -> Option<usize> {
    match params.get(key) {
        None => Some(default),
        Some(text) => text.trim().parse::<usize>().ok().filter(|value| *value > 0),
    }
}

/// Reads a submit body: `query` must be a non-empty list of strings that each hold a digit,
/// and `callbackUrl`, when present, a string.
fn parse_submit_body(body: &[u8]) -> Option<Vec<String>> {
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else {
        return None;
    };
    if !matches!(
        fields.get("callbackUrl"),
        None | Some(Value::Null | Value::String(_))
    ) {
        return None;
    }
    let Some(Value::Array(entries)) = fields.get("query") else {
        return None;
    };
    if entries.is_empty() {
        return None;
    }
    entries
        .iter()
        .map(|entry| {
            entry
                .as_str()
                .filter(|number| number.bytes().any(|byte| byte.is_ascii_digit()))
                .map(str::to_owned)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::naam::ApiToken;
    use crate::naam::fake::{FakeProfile, FaultTarget, RateLimit};

    const TOKEN: &[u8] = b"tok-state-test";

    fn config(profile: FakeProfile) -> FakeConfig {
        FakeConfig {
            polls_before_done: 0,
            ..FakeConfig::new(ApiToken::new("tok-state-test").unwrap(), profile)
        }
    }

    fn body(numbers: &[&str]) -> Vec<u8> {
        json!({ "query": numbers }).to_string().into_bytes()
    }

    fn json_of(reply: &Reply) -> Value {
        serde_json::from_str(&reply.body).unwrap()
    }

    fn submit_ok(state: &FakeState, numbers: &[&str]) -> String {
        let reply = state.submit(Some(TOKEN), &body(numbers));
        assert_eq!(reply.status, 200, "{}", reply.body);
        json_of(&reply)["result"]["enrichmentId"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    fn poll(state: &FakeState, id: &str, page: usize, limit: usize) -> Reply {
        let params = HashMap::from([
            (String::from("enrichmentId"), id.to_owned()),
            (String::from("page"), page.to_string()),
            (String::from("limit"), limit.to_string()),
        ]);
        state.results(Some(TOKEN), Some(&params))
    }

    fn mobiles(reply: &Reply) -> Vec<String> {
        json_of(reply)["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|record| record["mobile"].as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn wrong_or_missing_token_is_unauthorised() {
        let state = FakeState::new(config(FakeProfile::Standard));
        for token in [None, Some(&b"nope"[..])] {
            let reply = state.submit(token, &body(&["9876543210"]));
            assert_eq!(reply.status, 401);
            assert_eq!(json_of(&reply)["message"], "Unauthorized");
        }
        assert_eq!(state.stats().submissions, 0);
        assert_eq!(state.stats().submit_requests, 2);
    }

    #[test]
    fn bad_bodies_are_not_acceptable() {
        let state = FakeState::new(config(FakeProfile::Standard));
        for bad in [
            &b""[..],
            b"[]",
            b"{}",
            br#"{"query":[]}"#,
            br#"{"query":"9876543210"}"#,
            br#"{"query":[9876543210]}"#,
            br#"{"query":["9876543210",""]}"#,
            br#"{"query":["n/a"]}"#,
            br#"{"query":["9876543210"],"callbackUrl":5}"#,
        ] {
            let reply = state.submit(Some(TOKEN), bad);
            assert_eq!(reply.status, 406, "{}", String::from_utf8_lossy(bad));
            assert_eq!(json_of(&reply)["message"], "Not Acceptable");
        }
        let with_callback = br#"{"query":["9876543210"],"callbackUrl":"https://x.in/h"}"#;
        assert_eq!(state.submit(Some(TOKEN), with_callback).status, 200);
    }

    #[test]
    fn limits_refuse_the_whole_batch_and_charge_nothing() {
        let state = FakeState::new(FakeConfig {
            bulk_limit: 3,
            credits: Some(5),
            daily_limit: Some(4),
            ..config(FakeProfile::Standard)
        });
        let too_many = state.submit(Some(TOKEN), &body(&["1", "2", "3", "4"]));
        assert_eq!(
            (too_many.status, json_of(&too_many)["message"].clone()),
            (401, json!(MSG_QUANTITY))
        );
        submit_ok(&state, &["1", "2", "3"]);
        let over_daily = state.submit(Some(TOKEN), &body(&["4", "5"]));
        assert_eq!(
            (over_daily.status, json_of(&over_daily)["message"].clone()),
            (402, json!(MSG_DAILY_LIMIT))
        );
        assert_eq!(state.credits_left(), Some(2));
        submit_ok(&state, &["4"]);
        assert_eq!(state.credits_left(), Some(1));
        let counts = state.stats();
        assert_eq!((counts.submissions, counts.numbers_submitted), (2, 4));
    }

    #[test]
    fn exhausted_credits_refuse_the_whole_batch() {
        let state = FakeState::new(FakeConfig {
            credits: Some(2),
            ..config(FakeProfile::Standard)
        });
        let reply = state.submit(Some(TOKEN), &body(&["1", "2", "3"]));
        assert_eq!(
            (reply.status, json_of(&reply)["message"].clone()),
            (402, json!(MSG_CREDITS))
        );
        assert_eq!(state.credits_left(), Some(2));
        assert_eq!(state.stats().submissions, 0);
    }

    #[test]
    fn disabled_bulk_is_refused() {
        let state = FakeState::new(FakeConfig {
            is_bulk_enabled: false,
            ..config(FakeProfile::Standard)
        });
        let reply = state.submit(Some(TOKEN), &body(&["1"]));
        assert_eq!(
            (reply.status, json_of(&reply)["message"].clone()),
            (402, json!(MSG_BULK_DISABLED))
        );
    }

    #[test]
    fn unknown_ids_and_bad_paging_are_refused() {
        let state = FakeState::new(config(FakeProfile::Standard));
        let id = submit_ok(&state, &["9876543210"]);
        assert_eq!(poll(&state, "000000000000000000000000", 1, 10).status, 400);
        assert_eq!(poll(&state, &id, 0, 10).status, 406);
        assert_eq!(poll(&state, &id, 1, 0).status, 406);
        assert_eq!(state.results(Some(TOKEN), None).status, 406);
        let no_id = HashMap::new();
        assert_eq!(state.results(Some(TOKEN), Some(&no_id)).status, 400);
    }

    #[test]
    fn paging_defaults_to_page_one_of_ten() {
        let state = FakeState::new(config(FakeProfile::Standard));
        let numbers: Vec<String> = (0..12).map(|idx| format!("98765432{idx:02}")).collect();
        let refs: Vec<&str> = numbers.iter().map(String::as_str).collect();
        let id = submit_ok(&state, &refs);
        let params = HashMap::from([(String::from("enrichmentId"), id.clone())]);
        let first = state.results(Some(TOKEN), Some(&params));
        assert_eq!(mobiles(&first), numbers[..10].to_vec());
        assert_eq!(mobiles(&poll(&state, &id, 2, 10)), numbers[10..].to_vec());
        assert!(mobiles(&poll(&state, &id, 3, 10)).is_empty());
        assert_eq!(mobiles(&poll(&state, &id, 3, 5)), numbers[10..].to_vec());
    }

    #[test]
    fn small_pages_cap_the_limit() {
        let state = FakeState::new(config(FakeProfile::SmallPages));
        let id = submit_ok(&state, &["1", "2", "3", "4", "5"]);
        assert_eq!(mobiles(&poll(&state, &id, 1, 10)), vec!["1", "2", "3"]);
        assert_eq!(mobiles(&poll(&state, &id, 2, 10)), vec!["4", "5"]);
    }

    #[test]
    fn pending_styles_answer_before_the_job_is_done() {
        let pending = |profile| {
            let state = FakeState::new(FakeConfig {
                polls_before_done: 2,
                ..config(profile)
            });
            let id = submit_ok(&state, &["1", "2", "3", "4"]);
            (0..3).map(|_| poll(&state, &id, 1, 10)).collect::<Vec<_>>()
        };
        let empty = pending(FakeProfile::Standard);
        assert_eq!(
            json_of(&empty[0]),
            json!({"message":"success","code":2001,"result":[]})
        );
        assert_eq!(mobiles(&empty[2]).len(), 4);
        let processing = pending(FakeProfile::ProcessingMessage);
        assert_eq!(json_of(&processing[0]), json!({"message":"Processing"}));
        assert_eq!(mobiles(&processing[2]).len(), 4);
        let partial = pending(FakeProfile::PartialResults);
        let counts: Vec<usize> = partial.iter().map(|reply| mobiles(reply).len()).collect();
        assert_eq!(counts, vec![0, 2, 4]);
    }

    #[test]
    fn unknown_numbers_follow_the_profile() {
        let unknown = (0..100)
            .map(|idx| format!("98{idx:08}"))
            .find(|number| expected_name(number).is_none())
            .unwrap();
        for (profile, expected) in [
            (FakeProfile::Standard, Some(json!(""))),
            (FakeProfile::NullNames, Some(Value::Null)),
            (FakeProfile::OmitUnknown, None),
        ] {
            let state = FakeState::new(config(profile));
            let id = submit_ok(&state, &[&unknown]);
            let result = json_of(&poll(&state, &id, 1, 10))["result"].clone();
            let name = result.get(0).map(|record| record["name"].clone());
            assert_eq!(name, expected, "{profile}");
        }
    }

    #[test]
    fn repeats_in_a_batch_are_charged_but_listed_once() {
        let state = FakeState::new(config(FakeProfile::Standard));
        let id = submit_ok(&state, &["1", "2", "1"]);
        assert_eq!(mobiles(&poll(&state, &id, 1, 10)), vec!["1", "2"]);
        let counts = state.stats();
        assert_eq!(counts.numbers_submitted, 3);
        assert_eq!(counts.max_submits_per_number(), 2);
    }

    #[test]
    fn rate_limit_answers_713_with_retry_after() {
        let state = FakeState::new(FakeConfig {
            rate_limit: Some(RateLimit {
                max_requests: 2,
                window: Duration::from_secs(30),
            }),
            ..config(FakeProfile::Standard)
        });
        submit_ok(&state, &["1"]);
        submit_ok(&state, &["2"]);
        let reply = state.submit(Some(TOKEN), &body(&["3"]));
        assert_eq!(reply.status, 713);
        assert_eq!(json_of(&reply)["message"], MSG_THROTTLED);
        assert!(matches!(reply.retry_after_secs, Some(29 | 30)), "{reply:?}");
        assert_eq!(state.stats().submissions, 2);
    }

    #[test]
    fn faults_are_seeded_and_never_more_than_the_cap_in_a_row() {
        let run = |seed| {
            let mut settings = config(FakeProfile::ServerErrors);
            settings.faults.seed = seed;
            settings.faults.rate_percent = 60;
            let state = FakeState::new(settings);
            let id = submit_ok(&state, &["1"]);
            (0..40)
                .map(|_| poll(&state, &id, 1, 10).status)
                .collect::<Vec<_>>()
        };
        let first = run(11);
        assert_eq!(first, run(11));
        assert_ne!(first, run(12));
        assert!(first.iter().any(|status| *status >= 500));
        assert!(first.contains(&200));
        assert!(first.windows(3).all(|three| three.contains(&200)));
    }

    #[test]
    fn throttle_bursts_last_two_requests() {
        let mut settings = config(FakeProfile::ThrottleBursts);
        settings.faults.rate_percent = 100;
        let state = FakeState::new(settings);
        let statuses: Vec<u16> = (0..6)
            .map(|_| state.submit(Some(TOKEN), &body(&["1"])).status)
            .collect();
        assert_eq!(statuses, vec![713, 713, 200, 713, 713, 200]);
        assert_eq!(state.stats().submissions, 2);
    }

    #[test]
    fn submit_faults_after_acceptance_still_charge() {
        for (profile, check) in [
            (
                FakeProfile::DroppedConnections,
                (|reply: &Reply| reply.should_drop_connection) as fn(&Reply) -> bool,
            ),
            (FakeProfile::MalformedJson, |reply: &Reply| {
                serde_json::from_str::<Value>(&reply.body).is_err()
            }),
        ] {
            let mut settings = config(profile);
            settings.faults.rate_percent = 100;
            settings.faults.target = FaultTarget::Submit;
            let state = FakeState::new(settings);
            let reply = state.submit(Some(TOKEN), &body(&["1"]));
            assert!(check(&reply), "{profile}: {reply:?}");
            assert_eq!(state.stats().submissions, 1, "{profile}");
        }
    }

    #[test]
    fn slow_fault_delays_the_answer() {
        let mut settings = config(FakeProfile::SlowResponses);
        settings.faults.rate_percent = 100;
        settings.slow_delay = Duration::from_millis(40);
        let state = FakeState::new(settings);
        let id = submit_ok(&state, &["1"]);
        let reply = poll(&state, &id, 1, 10);
        assert_eq!(reply.delay, Duration::from_millis(40));
        assert_eq!(reply.status, 200);
    }
}
