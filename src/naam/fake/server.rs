//! The HTTP side of the fake Naam service: routes, and turning a [`Reply`] into a response.
//!
//! The handlers only read the request and hand it to [`FakeState`]; they parse the body and
//! query themselves instead of using axum's typed extractors, so that a malformed request gets
//! Naam's documented "406 Not Acceptable" and not axum's own error text.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Query, State};
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::conn::ConnectionCutter;
use super::state::{FakeState, Reply};

/// The largest submit body read (a bulk limit's worth of numbers is far smaller).
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// The routes of the Bulk Number API.
pub(crate) fn router(state: Arc<FakeState>) -> Router {
    Router::new()
        .route("/api/v1/prospect/bulk", post(submit))
        .route("/api/v1/prospect/bulk/enrich", get(results))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// `POST /api/v1/prospect/bulk`.
async fn submit(
    State(state): State<Arc<FakeState>>,
    ConnectInfo(cutter): ConnectInfo<ConnectionCutter>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let reply = state.submit(token(&headers), &body);
    tracing::debug!(status = reply.status, "fake Naam answered a submit");
    send(reply, &cutter).await
}

/// `GET /api/v1/prospect/bulk/enrich`.
async fn results(
    State(state): State<Arc<FakeState>>,
    ConnectInfo(cutter): ConnectInfo<ConnectionCutter>,
    headers: HeaderMap,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let params = query.ok().map(|Query(params)| params);
    let reply = state.results(token(&headers), params.as_ref());
    tracing::debug!(
        status = reply.status,
        "fake Naam answered a results request"
    );
    send(reply, &cutter).await
}

/// Anything else.
async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(CONTENT_TYPE, "application/json")],
        r#"{"message":"Not Found"}"#,
    )
        .into_response()
}

/// The `x-access-token` header, if sent.
fn token(headers: &HeaderMap) -> Option<&[u8]> {
    headers.get("x-access-token").map(HeaderValue::as_bytes)
}

/// Waits if asked, cuts the connection if asked, and otherwise answers.
async fn send(reply: Reply, cutter: &ConnectionCutter) -> Response {
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    if reply.should_drop_connection {
        cutter.cut();
    }
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, [(CONTENT_TYPE, "application/json")], reply.body).into_response();
    if let Some(seconds) = reply.retry_after_secs {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}
