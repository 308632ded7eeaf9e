//! HOST Pay (hPay): the client, and builders for what the spec cannot say
//! (the required trio on writes, read-modify-write, paging).
//!
//! Everything else — environments, credentials, retries, errors — comes from
//! `openapi/hpay.yaml` through the generic [`core`](crate::core), and every
//! operation is also on [`HostPay::ops`].
//!
//! ```
//! # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
//! # let mock = payusers::mock::MockServer::start().await.unwrap();
//! # let hpay = mock.hpay();
//! // let hpay = payusers::HostPay::from_env()?;  // HOST_PAY_API_KEY, HOST_PAY_SECRET_KEY
//! let user = hpay
//!     .update_user("user_abc123")
//!     .app_user_id(1)
//!     .name("John Updated Doe")
//!     .phone_number("+23279123456")
//!     .email("john.new@example.com")
//!     .send()
//!     .await?;
//! assert_eq!(user.email.as_deref(), Some("john.new@example.com"));
//! # Ok(()) }
//! ```

use crate::core::{Call, CallOptions, call_options};
use crate::error::{Context, Error};
use crate::response::Response;
use futures_util::Stream;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;

/// The client, models and operations generated from `openapi/hpay.yaml`.
pub use crate::generated::hpay as raw;
/// Where an hPay client sends requests (from the spec's `servers`).
pub use raw::Environment;
/// An hPay user as the API returns it.
pub use raw::types::User;

/// An hPay client: `HostPay::from_env()?` or `HostPay::builder()`.
///
/// ```
/// let hpay = payusers::HostPay::builder()
///     .api_key("my_api_key")
///     .secret_key("hpay_test_123")
///     .build()?;
/// assert_eq!(hpay.base_url(), "https://hpay-api.host-sl.com");
/// # Ok::<(), payusers::Error>(())
/// ```
pub type HostPay = crate::core::Client<raw::ApiSpec>;
/// Configures a [`HostPay`] client.
pub type HostPayBuilder = crate::core::ClientBuilder<raw::ApiSpec>;

impl HostPay {
    /// Starts creating a user: `app_user_id`, `name` and `phone_number` are
    /// required. Not retried unless you set an
    /// [`idempotency_key`](Write::idempotency_key).
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let user = mock.hpay().create_user()
    ///     .app_user_id(1001).name("John Doe").phone_number("+23279100100")
    ///     .send().await?;
    /// assert_eq!(user.id.len(), 36); // a UUID
    /// # Ok(()) }
    /// ```
    pub fn create_user(&self) -> CreateUser<'_> {
        Write::new(self, String::new())
    }

    /// Starts a full update of user `user_id`: hPay needs `app_user_id`,
    /// `name` and `phone_number` every time (see
    /// [`modify_user`](Self::modify_user) to change one field).
    pub fn update_user(&self, user_id: impl Into<String>) -> UpdateUser<'_> {
        Write::new(self, user_id.into())
    }

    /// Starts a partial update: reads the user, applies only what you set,
    /// and sends the full body hPay needs, so an email-only change keeps the
    /// stored name and phone. Sends nothing when nothing would change.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let user = mock.hpay().modify_user("user_xyz789").email("jane.new@example.com").send().await?;
    /// assert_eq!(user.name, "Jane Smith"); // kept
    /// # Ok(()) }
    /// ```
    pub fn modify_user(&self, user_id: impl Into<String>) -> ModifyUser<'_> {
        ModifyUser {
            client: self,
            user_id: user_id.into(),
            change: Change::default(),
            options: CallOptions::default(),
        }
    }

    /// Reads user `user_id`.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let user = mock.hpay().get_user("user_abc123").send().await?;
    /// assert_eq!(user.app_user_id, 1);
    /// # Ok(()) }
    /// ```
    pub fn get_user(&self, user_id: impl Into<String>) -> Call<'_, raw::ops::GetUser> {
        self.ops().get_user(user_id)
    }

    /// Deletes user `user_id` **permanently**: hPay purges its data and
    /// history. To stop access but keep the user, deactivate it instead
    /// (`modify_user(id).active(false)`), as hPay's docs advise.
    pub fn delete_user(&self, user_id: impl Into<String>) -> Call<'_, raw::ops::DeleteUser> {
        self.ops().delete_user(user_id)
    }

    /// Lists users, optionally by active status; a stream or a `Vec`.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let active = mock.hpay().list_users().active(true).collect().await?;
    /// assert!(active.iter().all(|u| u.is_active));
    /// # Ok(()) }
    /// ```
    pub fn list_users(&self) -> ListUsers<'_> {
        ListUsers {
            client: self,
            active: None,
            page_size: MAX_PAGE,
            limit: None,
            options: CallOptions::default(),
        }
    }
}

/// What a write builder creates or updates.
pub trait WriteKind {
    /// The operation's id, for errors.
    const OPERATION: &'static str;
}

/// Marks a [`Write`] that creates a user.
#[derive(Debug)]
pub enum Create {}
/// Marks a [`Write`] that updates a user.
#[derive(Debug)]
pub enum Update {}

impl WriteKind for Create {
    const OPERATION: &'static str = "create_user";
}
impl WriteKind for Update {
    const OPERATION: &'static str = "update_user";
}

/// A create of one hPay user.
pub type CreateUser<'c> = Write<'c, Create>;
/// A full update of one hPay user.
pub type UpdateUser<'c> = Write<'c, Update>;

/// A create or full update; set fields, then `send`.
///
/// Checked before sending, by the spec's own rules: `app_user_id`, `name`
/// and `phone_number` present, name not empty, phone matching the spec's
/// pattern (`+` and 7–15 digits), email an email. Each failure is an
/// [`Error::Validation`] naming the field.
#[must_use = "nothing is sent until you call .send()"]
pub struct Write<'c, K: WriteKind> {
    client: &'c HostPay,
    user_id: String,
    app_user_id: Option<i64>,
    name: Option<String>,
    phone_number: Option<String>,
    email: Option<String>,
    username: Option<String>,
    is_active: Option<bool>,
    options: CallOptions,
    _kind: PhantomData<K>,
}

impl<K: WriteKind> Write<'_, K> {
    /// Its shared deadline moved `by` later (see `CallOptions::later_by`).
    pub(crate) fn waited(mut self, by: std::time::Duration) -> Self {
        self.options = self.options.later_by(by);
        self
    }
}

impl<K: WriteKind> fmt::Debug for Write<'_, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(K::OPERATION)
            .field("user_id", &self.user_id)
            .field("app_user_id", &self.app_user_id)
            .field("name", &self.name)
            .field("phone_number", &self.phone_number)
            .field("email", &self.email)
            .field("username", &self.username)
            .field("is_active", &self.is_active)
            .field("options", &self.options)
            .finish()
    }
}

/// The checked fields of a write, as the operation's own body types
/// (`N`, `P`), so each is checked once.
struct Checked<N, P> {
    app_user_id: i64,
    name: N,
    phone_number: P,
}

/// The body types a write checks its name (`N`) and phone (`P`) into.
type CreateChecked =
    Checked<raw::types::CreateUserRequestName, raw::types::CreateUserRequestPhoneNumber>;
type UpdateChecked =
    Checked<raw::types::UpdateUserRequestName, raw::types::UpdateUserRequestPhoneNumber>;

impl<'c, K: WriteKind> Write<'c, K> {
    fn new(client: &'c HostPay, user_id: String) -> Self {
        Write {
            client,
            user_id,
            app_user_id: None,
            name: None,
            phone_number: None,
            email: None,
            username: None,
            is_active: None,
            options: CallOptions::default(),
            _kind: PhantomData,
        }
    }

    /// Your application's id for the user (required; on update it must
    /// equal the id set at creation, hPay answers 400 otherwise).
    pub fn app_user_id(mut self, id: i64) -> Self {
        self.app_user_id = Some(id);
        self
    }

    /// The user's full name (required, not empty).
    ///
    /// ```
    /// # #[tokio::main] async fn main() {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let err = mock.hpay().update_user("user_abc123")
    ///     .app_user_id(1).name("").phone_number("+23279123456")
    ///     .send().await.unwrap_err();
    /// assert!(err.to_string().contains("`name`"));
    /// # }
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The phone number in international form, e.g. `+23279123456` (required).
    pub fn phone_number(mut self, phone: impl Into<String>) -> Self {
        self.phone_number = Some(phone.into());
        self
    }

    /// An email address (optional).
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// A username (optional).
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// Whether the account is active (optional; hPay creates users active).
    pub fn active(mut self, active: bool) -> Self {
        self.is_active = Some(active);
        self
    }

    call_options!();

    fn invalid(&self, field: &'static str, rule: String) -> Error {
        Error::Validation {
            field,
            rule,
            context: Context::new(self.client.provider(), K::OPERATION),
        }
    }

    /// `body`, once it keeps the spec's rules its type cannot hold.
    fn finished<B: crate::core::Check>(&self, body: B) -> Result<B, Error> {
        body.check()
            .map(|()| body)
            .map_err(|e| self.invalid(e.field, e.rule))
    }

    fn check<N, P>(&self) -> Result<Checked<N, P>, Error>
    where
        N: for<'a> TryFrom<&'a str, Error = raw::types::error::ConversionError>,
        P: for<'a> TryFrom<&'a str, Error = raw::types::error::ConversionError>,
    {
        let app_user_id = self
            .app_user_id
            .ok_or_else(|| self.invalid("app_user_id", "is required".into()))?;
        let name = self
            .name
            .as_deref()
            .ok_or_else(|| self.invalid("name", "is required".into()))?;
        let name = N::try_from(name).map_err(|e| self.invalid("name", e.to_string()))?;
        let phone = self
            .phone_number
            .as_deref()
            .ok_or_else(|| self.invalid("phone_number", "is required".into()))?;
        let phone_number = P::try_from(phone).map_err(|_| {
            self.invalid(
                "phone_number",
                format!("must be in international form, `+` then 7 to 15 digits (e.g. +23279123456), got {phone:?}"),
            )
        })?;
        // The email's format and the spec's other rules a type cannot
        // hold are checked on the finished body (`to_request`) or by the
        // call before it sends.
        Ok(Checked {
            app_user_id,
            name,
            phone_number,
        })
    }
}

impl<'c> Write<'c, Create> {
    /// Validates the fields and builds the wire body, without sending.
    pub fn to_request(&self) -> Result<raw::types::CreateUserRequest, Error> {
        let checked: CreateChecked = self.check()?;
        self.finished(self.create_body(checked, self.email.clone(), self.username.clone()))
    }

    /// The create body from checked fields and the optional ones.
    fn create_body(
        &self,
        checked: CreateChecked,
        email: Option<String>,
        username: Option<String>,
    ) -> raw::types::CreateUserRequest {
        raw::types::CreateUserRequest {
            app_user_id: checked.app_user_id,
            name: checked.name,
            phone_number: checked.phone_number,
            email,
            username,
            is_active: self.is_active,
        }
    }

    /// Validates, sends; returns the new user (its `id` is hPay's UUID).
    pub fn send(self) -> impl Future<Output = Result<User, Error>> {
        crate::response::body_of(self.send_with_response())
    }

    /// Like [`send`](Self::send), with status, headers and request id.
    pub fn send_with_response(mut self) -> impl Future<Output = Result<Response<User>, Error>> {
        // Checked first (the email too), then the optional strings are
        // moved into the body, not cloned as `to_request` must. Checked
        // now, not in an `async` block: see `Call::send_checked`.
        let call = self.check().map(|checked: CreateChecked| {
            let (email, username) = (self.email.take(), self.username.take());
            let body = self.create_body(checked, email, username);
            self.client.ops().create_user(body).options(self.options)
        });
        Call::send_checked(call)
    }
}

impl<'c> Write<'c, Update> {
    /// Validates the fields and builds the wire body, without sending.
    ///
    /// ```
    /// # let hpay = payusers::HostPay::builder().api_key("k").secret_key("s").build().unwrap();
    /// let body = hpay.update_user("user_abc123")
    ///     .app_user_id(1).name("John Doe").phone_number("+23279123456")
    ///     .to_request()?;
    /// assert_eq!(serde_json::to_value(&body).unwrap()["phone_number"], "+23279123456");
    /// # Ok::<(), payusers::Error>(())
    /// ```
    pub fn to_request(&self) -> Result<raw::types::UpdateUserRequest, Error> {
        let checked: UpdateChecked = self.check()?;
        self.finished(self.update_body(checked, self.email.clone(), self.username.clone()))
    }

    /// The update body from checked fields and the optional ones.
    fn update_body(
        &self,
        checked: UpdateChecked,
        email: Option<String>,
        username: Option<String>,
    ) -> raw::types::UpdateUserRequest {
        raw::types::UpdateUserRequest {
            app_user_id: checked.app_user_id,
            name: checked.name,
            phone_number: checked.phone_number,
            email,
            username,
            is_active: self.is_active,
        }
    }

    /// Validates, sends, retries if needed; returns the updated user.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
    /// # let mock = payusers::mock::MockServer::start().await.unwrap();
    /// let user = mock.hpay().update_user("user_abc123")
    ///     .app_user_id(1).name("John Doe").phone_number("+23279000000")
    ///     .send().await?;
    /// assert_eq!(user.phone_number, "+23279000000");
    /// # Ok(()) }
    /// ```
    pub fn send(self) -> impl Future<Output = Result<User, Error>> {
        crate::response::body_of(self.send_with_response())
    }

    /// Like [`send`](Self::send), but also returns status, headers and request id.
    pub fn send_with_response(mut self) -> impl Future<Output = Result<Response<User>, Error>> {
        // Checked now, not in an `async` block: see `Call::send_checked`.
        let call = self.check().map(|checked: UpdateChecked| {
            let (email, username) = (self.email.take(), self.username.take());
            let body = self.update_body(checked, email, username);
            self.client
                .ops()
                .update_user(self.user_id, body)
                .options(self.options)
        });
        Call::send_checked(call)
    }
}

/// The fields a partial change sets; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// New full name.
    pub name: Option<String>,
    /// New phone number (international form).
    pub phone_number: Option<String>,
    /// New email address.
    pub email: Option<String>,
    /// New username.
    pub username: Option<String>,
    /// New active status.
    pub is_active: Option<bool>,
}

impl Change {
    /// Applies the change to `user`; returns whether anything differs.
    pub fn apply(&self, user: &mut User) -> bool {
        let before = user.clone();
        if let Some(v) = &self.name {
            user.name.clone_from(v);
        }
        if let Some(v) = &self.phone_number {
            user.phone_number.clone_from(v);
        }
        if let Some(v) = &self.email {
            user.email = Some(v.clone());
        }
        if let Some(v) = &self.username {
            user.username = Some(v.clone());
        }
        if let Some(v) = self.is_active {
            user.is_active = v;
        }
        *user != before
    }
}

/// A read-modify-write of one hPay user (see [`HostPay::modify_user`]).
#[derive(Debug)]
#[must_use = "nothing is sent until you call .send()"]
pub struct ModifyUser<'c> {
    client: &'c HostPay,
    user_id: String,
    change: Change,
    options: CallOptions,
}

impl<'c> ModifyUser<'c> {
    /// Sets a new name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.change.name = Some(name.into());
        self
    }

    /// Sets a new phone number.
    pub fn phone_number(mut self, phone: impl Into<String>) -> Self {
        self.change.phone_number = Some(phone.into());
        self
    }

    /// Sets a new email address.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.change.email = Some(email.into());
        self
    }

    /// Sets a new username.
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.change.username = Some(username.into());
        self
    }

    /// Activates or deactivates the user.
    pub fn active(mut self, active: bool) -> Self {
        self.change.is_active = Some(active);
        self
    }

    /// Applies a whole [`Change`] at once.
    pub fn change(mut self, change: Change) -> Self {
        self.change = change;
        self
    }

    call_options!();

    /// Reads, applies, and writes only if something changed; returns the
    /// user as stored afterwards.
    pub async fn send(self) -> Result<User, Error> {
        Ok(self.send_reporting().await?.0)
    }

    /// Like [`send`](Self::send), also saying whether a write was sent.
    ///
    /// The read and the write share one deadline (the call's, or the
    /// client's): together they take no longer than one call may.
    pub async fn send_reporting(self) -> Result<(User, bool), Error> {
        let options = self.options.shared(self.client);
        let current = self
            .client
            .get_user(self.user_id.clone())
            .options(options.clone())
            .send()
            .await?;
        match self
            .client
            .change_write(&self.user_id, &current, &self.change, options)?
        {
            Some(write) => Ok((write.send().await?, true)),
            None => Ok((current, false)),
        }
    }
}

impl HostPay {
    /// The write that applies `change` to `current` (user `user_id`, just
    /// read), if anything differs: the full update hPay needs, every field
    /// we know resent, changed or not, so no field depends on how hPay
    /// treats an omitted one. It goes to `user_id`, the user asked for (the
    /// read that gave `current` was about that user: `get_user`'s
    /// `x-payusers-echo`).
    pub(crate) fn change_write(
        &self,
        user_id: &str,
        current: &User,
        change: &Change,
        options: CallOptions,
    ) -> Result<Option<UpdateUser<'_>>, Error> {
        let mut wanted = current.clone();
        if !change.apply(&mut wanted) {
            return Ok(None);
        }
        let mut write = self
            .update_user(user_id)
            .app_user_id(wanted.app_user_id)
            .name(wanted.name)
            .phone_number(wanted.phone_number)
            .active(wanted.is_active);
        write.options = options;
        if let Some(email) = wanted.email {
            write = write.email(email);
        }
        if let Some(username) = wanted.username {
            write = write.username(username);
        }
        // A stored value this change keeps but our rules refuse (hPay took
        // it, perhaps by another way in; some of our rules are inferred)
        // is named as the stored one, with the way out.
        if let Err(Error::Validation {
            field,
            rule,
            context,
        }) = write.check::<_, _>().map(|_: UpdateChecked| ())
        {
            let kept = match field {
                "name" => change.name.is_none(),
                "phone_number" => change.phone_number.is_none(),
                "email" => change.email.is_none(),
                _ => false,
            };
            return Err(Error::Validation {
                field,
                rule: if kept {
                    format!(
                        "the value stored at hPay {rule}, and a full update resends it: \
                         set a new value for it in this change"
                    )
                } else {
                    rule
                },
                context,
            });
        }
        Ok(Some(write))
    }
}

/// The most users hPay sends in one page (its API introduction), and the
/// listing's default page size.
const MAX_PAGE: std::num::NonZeroU64 = std::num::NonZeroU64::new(100).unwrap();

/// A listing of hPay users (see [`HostPay::list_users`]).
#[derive(Debug)]
#[must_use = "nothing is sent until you call .stream() or .collect()"]
pub struct ListUsers<'c> {
    client: &'c HostPay,
    active: Option<bool>,
    page_size: std::num::NonZeroU64,
    limit: Option<usize>,
    options: CallOptions,
}

impl<'c> ListUsers<'c> {
    /// Only active (`true`) or inactive (`false`) users.
    pub fn active(mut self, active: bool) -> Self {
        self.active = Some(active);
        self
    }

    /// Users per request, 1–100 (hPay's `per_page`; default 100, the most
    /// hPay sends at once). Listing always pages: hPay's own default page
    /// is 20 users, so one request without paging could miss the rest.
    pub fn page_size(mut self, per_page: u8) -> Self {
        self.page_size =
            std::num::NonZeroU64::new(u64::from(per_page.clamp(1, 100))).unwrap_or(MAX_PAGE);
        self
    }

    /// Stops after this many users.
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = Some(limit);
        self
    }

    call_options!();

    /// The users as a stream, fetching pages as it goes.
    ///
    /// A short page is the last, and so is a 404 "Invalid page." after a
    /// full one (Django REST Framework's, inferred). A user
    /// an earlier page brought is not yielded again; a second page in a row
    /// with no new id (a server ignoring `page`) ends the stream with
    /// [`Error::UnexpectedResponse`].
    pub fn stream(self) -> impl Stream<Item = Result<User, Error>> + 'c {
        let id = |user: &User| Some(user.id.clone());
        crate::paging::items(self.limit, id, move |cursor| {
            let page = u64::try_from(cursor.page)
                .ok()
                .and_then(std::num::NonZeroU64::new);
            let call = self
                .client
                .ops()
                .list_users(self.active, page, Some(self.page_size));
            let (options, page_size, client) = (self.options.clone(), self.page_size, self.client);
            async move {
                let (users, context) = match call.options(options).send_with_response().await {
                    Ok(answer) => {
                        let context = answer.context(
                            client.provider(),
                            "list_users",
                            client.auth().secrets(),
                        );
                        (answer.into_inner(), context)
                    }
                    // Past the last page, a Django REST Framework page
                    // answers 404 "Invalid page." (inferred: the spec's error
                    // shape is DRF's). It comes only after a full page, the
                    // route having answered page 1: the list has ended.
                    Err(Error::NotFound {
                        message: Some(message),
                        context,
                    }) if cursor.page > 1 && message.starts_with("Invalid page") => {
                        (Vec::new(), context)
                    }
                    Err(e) => return Err(e),
                };
                // A short page is the last one (a longer one is a server's
                // own page size: the next page may hold more).
                let last = (users.len() as u64) < page_size.get();
                Ok(crate::paging::Page {
                    items: users,
                    last,
                    context,
                })
            }
        })
    }

    /// Every user in one `Vec` (for small lists).
    pub async fn collect(self) -> Result<Vec<User>, Error> {
        use futures_util::TryStreamExt;
        self.stream().try_collect().await
    }
}
