//! Sending one row through the facade, and the shared client-side rate limit.

use super::journal::{Entry, Status};
use super::rows::{HpayRow, PayabliRow, Row};
use crate::args::MIN_RATE;
use crate::{output, update};
use payusers::{HostPay, Payabli, Response};
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::{Interval, MissedTickBehavior};

/// The provider client rows are sent with.
pub enum Client {
    Hpay(HostPay),
    Payabli(Payabli),
}

/// At most `rate` request starts per second, shared by every worker.
pub struct Limiter {
    interval: Option<Mutex<Interval>>,
}

impl Limiter {
    /// Must be called inside the runtime. `rate` is checked by the argument
    /// parser; a rate whose period does not fit a `Duration` (zero, negative,
    /// NaN, or tiny) gets the longest period allowed, never a panic.
    pub fn new(rate: Option<f64>) -> Self {
        let interval = rate.map(|rate| {
            let longest = Duration::from_secs_f64(1.0 / MIN_RATE);
            let period = Duration::try_from_secs_f64(1.0 / rate)
                .unwrap_or(longest)
                .clamp(Duration::from_micros(1), longest);
            let mut interval = tokio::time::interval(period);
            // After a pause, do not burst to catch up.
            interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
            Mutex::new(interval)
        });
        Limiter { interval }
    }

    pub async fn wait(&self) {
        if let Some(interval) = &self.interval {
            interval.lock().await.tick().await;
        }
    }
}

/// Sends `row` (after the facade's validation, which costs no rate token)
/// and describes the result as a journal entry for `line`.
pub async fn send(
    client: &Client,
    limiter: &Limiter,
    line: u64,
    id: Option<String>,
    row: Row,
) -> Entry {
    let result = match (client, row) {
        (Client::Hpay(hpay), Row::Hpay(row)) => send_hpay(hpay, limiter, row).await,
        (Client::Payabli(payabli), Row::Payabli(row)) => send_payabli(payabli, limiter, row).await,
        _ => Err(Outcome {
            http_status: None,
            attempts: 0,
            error: "row does not match the provider".into(),
        }),
    };
    match result {
        Ok(ok) => Entry {
            line,
            id,
            status: Status::Ok,
            http_status: ok.http_status,
            attempts: ok.attempts,
            error: None,
        },
        Err(failed) => Entry {
            line,
            id,
            status: Status::Failed,
            http_status: failed.http_status,
            attempts: failed.attempts,
            error: Some(failed.error),
        },
    }
}

struct Outcome {
    http_status: Option<u16>,
    attempts: u32,
    error: String,
}

fn succeeded<T>(response: &Response<T>) -> Outcome {
    Outcome {
        http_status: Some(response.status().as_u16()),
        attempts: response.attempts(),
        error: String::new(),
    }
}

fn failed(err: &payusers::Error) -> Outcome {
    Outcome {
        http_status: err.status(),
        attempts: err.context().map_or(0, |c| c.attempts),
        error: output::describe(err),
    }
}

async fn send_hpay(client: &HostPay, limiter: &Limiter, row: HpayRow) -> Result<Outcome, Outcome> {
    let mut update = client
        .update_user(row.user_id)
        .app_user_id(row.app_user_id)
        .name(row.name)
        .phone_number(row.phone_number);
    if let Some(email) = row.email {
        update = update.email(email);
    }
    if let Some(username) = row.username {
        update = update.username(username);
    }
    if let Some(active) = row.is_active {
        update = update.active(active);
    }
    if let Err(err) = update.to_request() {
        return Err(failed(&err));
    }
    limiter.wait().await;
    match update.send_with_response().await {
        Ok(response) => Ok(succeeded(&response)),
        Err(err) => Err(failed(&err)),
    }
}

async fn send_payabli(
    client: &Payabli,
    limiter: &Limiter,
    row: PayabliRow,
) -> Result<Outcome, Outcome> {
    let mut update = client.update_user(row.user_id);
    if let Some(name) = row.name {
        update = update.name(name);
    }
    if let Some(email) = row.email {
        update = update.email(email);
    }
    if let Some(phone) = row.phone {
        update = update.phone(phone);
    }
    if let Some(pwd) = row.pwd {
        update = update.password(pwd);
    }
    if let Some(status) = row.status {
        update = update.status(status);
    }
    if let Some(offset) = row.time_zone {
        update = update.time_zone(offset);
    }
    if let Some(language) = row.language {
        update = update.language(language);
    }
    for (org_type, org_id) in row.scope {
        update = update.scope(org_type, org_id);
    }
    for (role, granted) in row.access {
        update = update.access(role, granted);
    }
    if let Some((enabled, mode)) = row.mfa {
        update = update.mfa(enabled, mode);
    }
    for (key, value) in row.additional {
        update = update.additional_data(key, value);
    }
    match update.to_request() {
        Err(err) => return Err(failed(&err)),
        Ok(body) if update::changes_nothing(&body) => {
            return Err(Outcome {
                http_status: None,
                attempts: 0,
                error: "nothing to update: the row has no user field besides `userId` \
                        (empty CSV cells are not sent)"
                    .into(),
            });
        }
        Ok(_) => {}
    }
    limiter.wait().await;
    match update.send_with_response().await {
        Ok(response) => Ok(succeeded(&response)),
        Err(err) => Err(failed(&err)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn rates_the_parser_would_refuse_do_not_panic() {
        for rate in [1e-30, 0.0, -1.0, f64::NAN, f64::INFINITY, 1e30] {
            Limiter::new(Some(rate)).wait().await;
        }
    }
}
