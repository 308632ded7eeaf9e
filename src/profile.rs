//! One person, every provider: say "this person's email is now X" once, see
//! what would change at each provider, then have both updated — or know
//! exactly which one refused and why.
//!
//! * [`Change`]: name, email, phone, active — each left as is (`None`) or set.
//! * [`Link`]: who the person is at each provider (either may be absent).
//! * [`Profiles::plan`] reads every linked provider and returns, per
//!   provider, the field-by-field diff it would send; it writes nothing.
//! * [`Profiles::push`] plans, then writes concurrently only where something
//!   changes: each provider ends `updated`, `unchanged` (no request sent) or
//!   `failed` with its typed error; one failing never hides the other.
//!   When a read or check fails at one provider, nothing is written at any
//!   (the others end `withheld`), unless [`Options::partial`] says
//!   otherwise. Writes themselves are not atomic: one may fail after the
//!   other succeeded, and the report says so.
//!
//! Mapping: hPay `is_active` ↔ Payabli `UsrStatus` (active 1, inactive 0).
//! A Payabli user that is Locked (85) or Deleted (-99) counts as not active
//! and is never reactivated unless you say so ([`Options::override_locked`]);
//! one whose status is a code payusers does not know is left alone both
//! ways unless you say so (its meaning, a lock perhaps, is not ours to
//! undo).
//!
//! ```
//! # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
//! # let mock = payusers::mock::MockServer::start().await.unwrap();
//! use payusers::profile::{Change, Link, Options, Profiles};
//! let profiles = Profiles::new(Some(mock.hpay().clone()), Some(mock.payabli().clone()));
//! let link = Link::hpay("user_abc123").and_payabli(1000000);
//! let change = Change::default().email("one.address@example.com");
//! let report = profiles.push(&link, &change, &Options::default()).await?;
//! assert!(report.all_ok());
//! let again = profiles.push(&link, &change, &Options::default()).await?;
//! assert!(again.outcomes().all(|(_, o)| o.is_unchanged()));
//! # Ok(()) }
//! ```

use crate::CallOptions;
use crate::Response;
use crate::error::{Context, Error, Provider};
use crate::hpay::{self, HostPay};
use crate::payabli::{Payabli, PayabliUser, UserStatus};
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};

/// A provider-neutral change to one person; `None` leaves a field as is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Change {
    /// Full name.
    pub name: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Phone number: one value for both providers, so it must satisfy both
    /// (hPay wants `+` and 7–15 digits; Payabli at most 50 characters).
    pub phone: Option<String>,
    /// Active or not.
    pub active: Option<bool>,
}

impl Change {
    /// Sets the name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the email address.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Sets the phone number.
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }

    /// Activates or deactivates.
    pub fn active(mut self, active: bool) -> Self {
        self.active = Some(active);
        self
    }

    /// Whether the change sets nothing.
    pub fn is_empty(&self) -> bool {
        *self == Change::default()
    }
}

/// Who the person is at each provider.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Link {
    /// hPay's `user_id`, and the `app_user_id` you expect it to carry (checked when given).
    pub hpay: Option<(String, Option<i64>)>,
    /// Payabli's `userId`.
    pub payabli: Option<i64>,
    /// An `app_user_id` expected before the hPay user was named (see
    /// [`Link::expect_app_user_id`]): [`Link::and_hpay`] takes it.
    pending_app_user_id: Option<i64>,
}

impl Link {
    /// A person known at hPay as `user_id`.
    pub fn hpay(user_id: impl Into<String>) -> Self {
        Link {
            hpay: Some((user_id.into(), None)),
            ..Link::default()
        }
    }

    /// A person known at Payabli as `user_id`.
    pub fn payabli(user_id: i64) -> Self {
        Link {
            payabli: Some(user_id),
            ..Link::default()
        }
    }

    /// Also known at Payabli as `user_id`.
    pub fn and_payabli(mut self, user_id: i64) -> Self {
        self.payabli = Some(user_id);
        self
    }

    /// Also known at hPay as `user_id` (an `app_user_id` already expected
    /// is kept).
    pub fn and_hpay(mut self, user_id: impl Into<String>) -> Self {
        let expected = self
            .hpay
            .take()
            .and_then(|(_, expected)| expected)
            .or(self.pending_app_user_id.take());
        self.hpay = Some((user_id.into(), expected));
        self
    }

    /// Expects hPay's user to carry this `app_user_id` (a wrong link is an
    /// error), whether the hPay user is named before or after. One never
    /// named makes the link an error too: nothing would be checked.
    pub fn expect_app_user_id(mut self, app_user_id: i64) -> Self {
        match &mut self.hpay {
            Some((_, expected)) => *expected = Some(app_user_id),
            None => self.pending_app_user_id = Some(app_user_id),
        }
        self
    }
}

/// How to plan and push.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Options {
    /// Reactivate a Payabli user that is Locked or Deleted, or change one
    /// whose status is a code payusers does not know.
    pub override_locked: bool,
    /// `push`: write at every provider whose read and checks passed, even
    /// when another's failed. Off by default: a failure at one provider
    /// before any write leaves every provider as it was
    /// ([`Outcome::Withheld`]).
    pub partial: bool,
    /// Per-call options for every request.
    pub call: CallOptions,
}

impl Options {
    /// Allows reactivating a Locked or Deleted Payabli user, and changing
    /// one whose status is a code payusers does not know.
    pub fn override_locked(mut self, yes: bool) -> Self {
        self.override_locked = yes;
        self
    }

    /// `push` writes wherever the read and checks passed, even when they
    /// failed at another provider (see [`Options::partial`](field@Options::partial)).
    pub fn partial(mut self, yes: bool) -> Self {
        self.partial = yes;
        self
    }
}

/// One field's change at one provider, as the provider names it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldChange {
    /// The provider's field (`phone_number`, `UsrStatus`, …).
    pub field: &'static str,
    /// The value now (absent when the provider has none).
    pub old: Option<String>,
    /// The value it would become.
    pub new: String,
}

/// Adds `field` to `diff` when `new` is set and differs from `old`, and
/// returns the new value then.
fn differs<'a>(
    diff: &mut Vec<FieldChange>,
    field: &'static str,
    old: Option<&String>,
    new: &'a Option<String>,
) -> Option<&'a String> {
    let new = new.as_ref().filter(|new| old != Some(*new))?;
    diff.push(FieldChange {
        field,
        old: old.cloned(),
        new: new.clone(),
    });
    Some(new)
}

impl fmt::Display for FieldChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} → {}",
            self.field,
            self.old.as_deref().unwrap_or("-"),
            self.new
        )
    }
}

/// What would be sent to one provider (empty: nothing changes).
pub type Diff = Vec<FieldChange>;

/// One provider's result.
#[derive(Debug)]
#[non_exhaustive]
pub enum Outcome {
    /// `plan`: these fields would change. `push`: they were written.
    Updated(Diff),
    /// Nothing differs; no write was (or would be) sent.
    Unchanged,
    /// Reading, checking or writing failed.
    Failed(Error),
    /// These fields would change, but nothing was (`push`) or would be
    /// (`plan`) sent, because reading or checking failed at provider `by`
    /// (see [`Options::partial`]).
    Withheld {
        /// What would have been written.
        diff: Diff,
        /// The provider whose read or check failed.
        by: Provider,
    },
}

impl Outcome {
    /// Updated or unchanged.
    pub fn is_ok(&self) -> bool {
        matches!(self, Outcome::Updated(_) | Outcome::Unchanged)
    }

    /// Nothing to send.
    pub fn is_unchanged(&self) -> bool {
        matches!(self, Outcome::Unchanged)
    }

    /// The field changes, when there are some.
    pub fn diff(&self) -> &[FieldChange] {
        match self {
            Outcome::Updated(diff) | Outcome::Withheld { diff, .. } => diff,
            _ => &[],
        }
    }

    /// `updated`, `unchanged`, `failed` or `withheld`.
    pub fn kind(&self) -> &'static str {
        match self {
            Outcome::Updated(_) => "updated",
            Outcome::Unchanged => "unchanged",
            Outcome::Failed(_) => "failed",
            Outcome::Withheld { .. } => "withheld",
        }
    }
}

/// Every linked provider's outcome.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Report {
    /// hPay's, when linked.
    pub hpay: Option<Outcome>,
    /// Payabli's, when linked.
    pub payabli: Option<Outcome>,
    /// HTTP requests sent, reads and writes at every provider, retries
    /// included.
    pub attempts: u32,
    /// The same, at hPay and at Payabli (see [`Report::attempts_at`]).
    sent: [u32; 2],
}

impl Report {
    /// The outcomes, with the requests counted at each provider.
    fn new(hpay: Option<Outcome>, payabli: Option<Outcome>, sent: [AtomicU32; 2]) -> Self {
        let sent = sent.map(AtomicU32::into_inner);
        Report {
            hpay,
            payabli,
            attempts: sent[0] + sent[1],
            sent,
        }
    }

    /// HTTP requests sent to `provider`, reads and writes, retries
    /// included (0 for a provider not linked, or not one of the two).
    pub fn attempts_at(&self, provider: Provider) -> u32 {
        match provider {
            Provider::HostPay => self.sent[0],
            Provider::Payabli => self.sent[1],
            _ => 0,
        }
    }

    /// (provider, outcome) for each linked provider.
    pub fn outcomes(&self) -> impl Iterator<Item = (Provider, &Outcome)> {
        [
            (Provider::HostPay, self.hpay.as_ref()),
            (Provider::Payabli, self.payabli.as_ref()),
        ]
        .into_iter()
        .filter_map(|(p, o)| o.map(|o| (p, o)))
    }

    /// Whether every linked provider is updated or unchanged.
    pub fn all_ok(&self) -> bool {
        self.outcomes().all(|(_, o)| o.is_ok())
    }
}

/// The provider whose read or checks failed, when that withholds every
/// other provider's write (not with [`Options::partial`]); hPay first.
fn blocked_by(
    options: &Options,
    hpay: &Option<Result<Step<'_>, Error>>,
    payabli: &Option<Result<Step<'_>, Error>>,
) -> Option<Provider> {
    let failed = |step: &Option<Result<Step<'_>, Error>>| matches!(step, Some(Err(_)));
    if options.partial {
        None
    } else if failed(hpay) {
        Some(Provider::HostPay)
    } else if failed(payabli) {
        Some(Provider::Payabli)
    } else {
        None
    }
}

/// The clients a person's profile spans (either may be absent).
#[derive(Debug, Clone, Default)]
pub struct Profiles {
    hpay: Option<HostPay>,
    payabli: Option<Payabli>,
}

/// A read, and what to write there (hPay's write built, and so checked,
/// once: a plan refuses what its push would).
enum Step<'c> {
    Hpay(Option<hpay::UpdateUser<'c>>, Diff),
    Payabli(i64, crate::payabli::UserData, Diff),
}

impl Profiles {
    /// Profiles over these clients.
    pub fn new(hpay: Option<HostPay>, payabli: Option<Payabli>) -> Self {
        Profiles { hpay, payabli }
    }

    /// Checks the change against every linked provider's rules, before
    /// anything is read or sent; the error names the provider that would
    /// refuse a value and why.
    pub fn validate(&self, link: &Link, change: &Change) -> Result<(), Error> {
        let refuse = |provider: Provider, field: &'static str, why: String| Error::Validation {
            field,
            rule: format!("{provider} would refuse it: {why}"),
            context: Context::new(provider, "profile"),
        };
        if link.hpay.is_none() && link.payabli.is_none() {
            return Err(Error::Config {
                setting: "link",
                reason: "links no provider: give an hPay or a Payabli user".into(),
            });
        }
        if link.hpay.is_none() && link.pending_app_user_id.is_some() {
            return Err(Error::Config {
                setting: "link",
                reason: "expects an hPay app_user_id but names no hPay user (add `and_hpay`)"
                    .into(),
            });
        }
        if link.hpay.is_some() && self.hpay.is_none() {
            return Err(Error::Config {
                setting: "link",
                reason: "links an hPay user but no hPay client was given".into(),
            });
        }
        if link.payabli.is_some() && self.payabli.is_none() {
            return Err(Error::Config {
                setting: "link",
                reason: "links a Payabli user but no Payabli client was given".into(),
            });
        }
        if let Some(email) = &change.email {
            crate::validate::email(email).map_err(|rule| {
                refuse(
                    if link.hpay.is_some() {
                        Provider::HostPay
                    } else {
                        Provider::Payabli
                    },
                    "email",
                    rule,
                )
            })?;
            if link.payabli.is_some() {
                crate::payabli::raw::types::UserDataEmail::try_from(email.as_str())
                    .map_err(|e| refuse(Provider::Payabli, "email", e.to_string()))?;
            }
        }
        if let Some(phone) = &change.phone {
            if link.hpay.is_some() {
                hpay::raw::types::UpdateUserRequestPhoneNumber::try_from(phone.as_str()).map_err(
                    |_| {
                        refuse(
                            Provider::HostPay,
                            "phone",
                            "it needs `+` then 7 to 15 digits, e.g. +23279123456".into(),
                        )
                    },
                )?;
            }
            if link.payabli.is_some() {
                crate::payabli::raw::types::UserDataPhone::try_from(phone.as_str())
                    .map_err(|e| refuse(Provider::Payabli, "phone", e.to_string()))?;
            }
        }
        if let (Some(name), Some(_)) = (&change.name, &link.hpay) {
            hpay::raw::types::UpdateUserRequestName::try_from(name.as_str())
                .map_err(|e| refuse(Provider::HostPay, "name", e.to_string()))?;
        }
        Ok(())
    }

    /// Reads every linked provider and says what each would get; writes nothing.
    pub async fn plan(
        &self,
        link: &Link,
        change: &Change,
        options: &Options,
    ) -> Result<Report, Error> {
        self.validate(link, change)?;
        let sent = [AtomicU32::new(0), AtomicU32::new(0)];
        let (hpay, payabli) = futures_util::future::join(
            self.hpay_step(link, change, options, &sent[0]),
            self.payabli_step(link, change, options, &sent[1]),
        )
        .await;
        // What `push` would withhold, the plan says so: the plan of a push.
        let blocked_by = blocked_by(options, &hpay, &payabli);
        let outcome = |step: Result<Step, Error>| match step {
            Ok(Step::Hpay(_, diff) | Step::Payabli(_, _, diff)) if diff.is_empty() => {
                Outcome::Unchanged
            }
            Ok(Step::Hpay(None, _)) => Outcome::Unchanged,
            Ok(Step::Hpay(_, diff) | Step::Payabli(_, _, diff)) => match blocked_by {
                Some(by) => Outcome::Withheld { diff, by },
                None => Outcome::Updated(diff),
            },
            Err(e) => Outcome::Failed(e),
        };
        Ok(Report::new(hpay.map(outcome), payabli.map(outcome), sent))
    }

    /// Plans, then writes (concurrently) only where something changes;
    /// a failed read or check anywhere withholds every write, unless
    /// [`Options::partial`](field@Options::partial).
    ///
    /// At each provider the read and the write share one deadline (the
    /// call options', or that client's): together they take no longer than
    /// one call may, the wait for the other provider's read aside.
    pub async fn push(
        &self,
        link: &Link,
        change: &Change,
        options: &Options,
    ) -> Result<Report, Error> {
        self.validate(link, change)?;
        let sent = [AtomicU32::new(0), AtomicU32::new(0)];
        let shared = |call: Option<CallOptions>| Options {
            call: call.unwrap_or_else(|| options.call.clone()),
            ..options.clone()
        };
        let hpay_options = shared(self.hpay.as_ref().map(|c| options.call.clone().shared(c)));
        let payabli_options = shared(
            self.payabli
                .as_ref()
                .map(|c| options.call.clone().shared(c)),
        );
        // Every provider's read and checks first: a refusal at one (a
        // locked user, a wrong link, a failed read) leaves the other
        // unwritten too, unless the caller asked for partial pushes.
        // Each read's end, so the wait for the other provider's comes out
        // of neither's write: their deadlines move later by it.
        let ((hpay_step, hpay_read), (payabli_step, payabli_read)) = futures_util::future::join(
            timed(self.hpay_step(link, change, &hpay_options, &sent[0])),
            timed(self.payabli_step(link, change, &payabli_options, &sent[1])),
        )
        .await;
        let writes_start = std::time::Instant::now();
        let hpay_waited = writes_start.saturating_duration_since(hpay_read);
        let payabli_waited = writes_start.saturating_duration_since(payabli_read);
        let blocked_by = blocked_by(options, &hpay_step, &payabli_step);
        let hpay = async {
            Some(match hpay_step? {
                Ok(Step::Hpay(_, diff)) if diff.is_empty() => Outcome::Unchanged,
                Ok(Step::Hpay(None, _)) => Outcome::Unchanged,
                Ok(Step::Hpay(Some(_), diff)) if blocked_by.is_some() => Outcome::Withheld {
                    diff,
                    by: blocked_by?,
                },
                Ok(Step::Hpay(Some(write), diff)) => {
                    let write = write.waited(hpay_waited);
                    match counted(&sent[0], write.send_with_response()).await {
                        Ok(_) => Outcome::Updated(diff),
                        Err(e) => Outcome::Failed(e),
                    }
                }
                Ok(Step::Payabli(..)) => unreachable!("an hPay step"),
                Err(e) => Outcome::Failed(e),
            })
        };
        let payabli = async {
            Some(match payabli_step? {
                Ok(Step::Payabli(_, _, diff)) if diff.is_empty() => Outcome::Unchanged,
                Ok(Step::Payabli(_, _, diff)) if blocked_by.is_some() => Outcome::Withheld {
                    diff,
                    by: blocked_by?,
                },
                Ok(Step::Payabli(id, data, diff)) => {
                    let client = self.payabli.as_ref()?;
                    let write = client
                        .update_user(id)
                        .data(data)
                        .options(payabli_options.call.clone().later_by(payabli_waited));
                    match counted(&sent[1], write.send_with_response()).await {
                        Ok(_) => Outcome::Updated(diff),
                        Err(e) => Outcome::Failed(e),
                    }
                }
                Ok(Step::Hpay(..)) => unreachable!("a Payabli step"),
                Err(e) => Outcome::Failed(e),
            })
        };
        let (hpay, payabli) = futures_util::future::join(hpay, payabli).await;
        Ok(Report::new(hpay, payabli, sent))
    }

    /// hPay: read, check the link, compute the change and its diff.
    async fn hpay_step(
        &self,
        link: &Link,
        change: &Change,
        options: &Options,
        sent: &AtomicU32,
    ) -> Option<Result<Step<'_>, Error>> {
        let (user_id, expected) = link.hpay.as_ref()?;
        let client = self.hpay.as_ref()?;
        Some(async {
            let read = client
                .get_user(user_id.clone())
                .options(options.call.clone());
            let current = counted(sent, read.send_with_response()).await?;
            if let Some(expected) = expected
                && *expected != current.app_user_id
            {
                return Err(Error::Validation {
                    field: "app_user_id",
                    rule: format!(
                        "the link expects {expected}, but hPay user {user_id} has {}: wrong link?",
                        current.app_user_id
                    ),
                    context: Context::new(Provider::HostPay, "profile"),
                });
            }
            let wanted = hpay::Change {
                name: change.name.clone(),
                phone_number: change.phone.clone(),
                email: change.email.clone(),
                is_active: change.active,
                username: None,
            };
            let mut diff = Vec::new();
            differs(&mut diff, "name", Some(&current.name), &change.name);
            differs(&mut diff, "email", current.email.as_ref(), &change.email);
            differs(&mut diff, "phone_number", Some(&current.phone_number), &change.phone);
            differs(
                &mut diff,
                "is_active",
                Some(&current.is_active.to_string()),
                &change.active.map(|a| a.to_string()),
            );
            // What the write would refuse, a plan refuses too: an answer
            // about another user, a stored value our rules refuse.
            let write = client.change_write(user_id, &current, &wanted, options.call.clone())?;
            Ok(Step::Hpay(write, diff))
        }
        .await)
    }

    /// Payabli: read, guard Locked/Deleted, compute the partial write and its diff.
    async fn payabli_step(
        &self,
        link: &Link,
        change: &Change,
        options: &Options,
        sent: &AtomicU32,
    ) -> Option<Result<Step<'_>, Error>> {
        let user_id = link.payabli?;
        let client = self.payabli.as_ref()?;
        Some(
            async {
                let read = client.get_user(user_id).options(options.call.clone());
                let current: PayabliUser = counted(sent, read.send_with_response()).await?;
                let mut data = crate::payabli::UserData::default();
                let mut diff = Vec::new();
                if let Some(name) = differs(&mut diff, "Name", current.name.as_ref(), &change.name)
                {
                    data.name = Some(name.clone());
                }
                if let Some(email) =
                    differs(&mut diff, "Email", current.email.as_ref(), &change.email)
                {
                    data.email = email.as_str().try_into().ok();
                }
                if let Some(phone) =
                    differs(&mut diff, "Phone", current.phone.as_ref(), &change.phone)
                {
                    data.phone = phone.as_str().try_into().ok();
                }
                if let Some(active) = change.active {
                    let status = status_for(
                        user_id,
                        current.status,
                        current.status_code,
                        active,
                        options,
                    )?;
                    if let Some(status) = status {
                        data.usr_status = Some(status.into());
                        diff.push(FieldChange {
                            field: "UsrStatus",
                            old: current.status_code.map(|c| c.to_string()),
                            new: status.code().to_string(),
                        });
                    }
                }
                Ok(Step::Payabli(user_id, data, diff))
            }
            .await,
        )
    }
}

/// `step`'s output, and when it came.
async fn timed<T>(step: impl Future<Output = T>) -> (T, std::time::Instant) {
    let step = step.await;
    (step, std::time::Instant::now())
}

/// A call's body; its attempts (a failed call's too) are added to `sent`.
async fn counted<T>(
    sent: &AtomicU32,
    call: impl Future<Output = Result<Response<T>, Error>>,
) -> Result<T, Error> {
    let result = call.await;
    let attempts = match &result {
        Ok(response) => response.attempts(),
        Err(e) => e.context().map_or(0, |c| c.attempts),
    };
    sent.fetch_add(attempts, Ordering::Relaxed);
    result.map(Response::into_inner)
}

/// The Payabli status that makes a user `active` (or not), if it must
/// change; refuses, without override, to reactivate a Locked or Deleted
/// user, or to change one whose status is a code we do not know.
fn status_for(
    user_id: i64,
    current: Option<UserStatus>,
    code: Option<i32>,
    active: bool,
    options: &Options,
) -> Result<Option<UserStatus>, Error> {
    let refuse = |what: String| {
        Err(Error::Validation {
            field: "active",
            rule: format!("Payabli user {user_id} {what}: changing it needs the override"),
            context: Context::new(Provider::Payabli, "profile"),
        })
    };
    let Some(known) = current else {
        let wanted = if active {
            UserStatus::Active
        } else {
            UserStatus::Inactive
        };
        return match code {
            // A code we do not know may be a lock of a new kind.
            Some(code) if !options.override_locked => {
                refuse(format!("has a status payusers does not know ({code})"))
            }
            // No status in the record at all (the mock's users created
            // without one): nothing says it is locked.
            _ => Ok(Some(wanted)),
        };
    };
    let protected = matches!(known, UserStatus::Locked | UserStatus::Deleted);
    match (active, current) {
        (true, Some(UserStatus::Active)) => Ok(None),
        (true, _) if protected && !options.override_locked => {
            refuse(format!("is {known} ({})", known.code()))
        }
        (true, _) => Ok(Some(UserStatus::Active)),
        // Inactive, Locked and Deleted all count as not active.
        (false, Some(UserStatus::Inactive | UserStatus::Locked | UserStatus::Deleted)) => Ok(None),
        (false, _) => Ok(Some(UserStatus::Inactive)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_mapping_and_the_locked_guard() {
        let none = Options::default();
        let over = Options::default().override_locked(true);
        use UserStatus::*;
        assert_eq!(
            status_for(1, Some(Inactive), Some(0), true, &none).unwrap(),
            Some(Active)
        );
        assert_eq!(
            status_for(1, Some(Active), Some(1), true, &none).unwrap(),
            None
        );
        assert_eq!(
            status_for(1, Some(Active), Some(1), false, &none).unwrap(),
            Some(Inactive)
        );
        assert_eq!(
            status_for(1, Some(Locked), Some(85), false, &none).unwrap(),
            None
        );
        assert_eq!(
            status_for(1, Some(Deleted), Some(-99), false, &none).unwrap(),
            None
        );
        for current in [Locked, Deleted] {
            let err = status_for(1, Some(current), Some(current.code()), true, &none).unwrap_err();
            assert!(err.to_string().contains("override"), "{err}");
            assert_eq!(
                status_for(1, Some(current), None, true, &over).unwrap(),
                Some(Active)
            );
        }
        // A status we do not know (a lock of a new kind, say) is left
        // alone both ways, unless overridden; no status at all is not a lock.
        for active in [true, false] {
            let wanted = Some(if active { Active } else { Inactive });
            let err = status_for(1, None, Some(86), active, &none).unwrap_err();
            assert!(err.to_string().contains("does not know (86)"), "{err}");
            assert!(err.to_string().contains("override"), "{err}");
            assert_eq!(
                status_for(1, None, Some(86), active, &over).unwrap(),
                wanted
            );
            assert_eq!(status_for(1, None, None, active, &none).unwrap(), wanted);
        }
    }
}
