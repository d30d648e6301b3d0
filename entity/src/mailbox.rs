use sea_orm::entity::prelude::*;

/// A sender mailbox. Passwords are `secret_box` ciphertext.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mailboxes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub provider: String,
    pub timezone: String,
    pub status: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub status_reason: Option<String>,
    pub smtp_host: String,
    pub smtp_port: i32,
    pub smtp_security: String,
    pub smtp_username: String,
    #[sea_orm(column_type = "Text")]
    pub smtp_password: String,
    pub imap_host: String,
    pub imap_port: i32,
    pub imap_security: String,
    pub imap_username: String,
    #[sea_orm(column_type = "Text")]
    pub imap_password: String,
    /// DKIM selector, signing domain and sealed private key, when the mailbox signs.
    pub dkim_selector: Option<String>,
    pub dkim_domain: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub dkim_private_key: Option<String>,
    /// `unverified`, `pending`, `verified` or `failed` (`domain::verification`).
    pub verification: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub verification_reason: Option<String>,
    /// The code a seed sends to the address; the service looks for it over IMAP.
    pub verification_code: Option<String>,
    pub verification_requested_at: Option<DateTimeUtc>,
    /// When a seed's server accepted the code's message; `None` while it is still to be sent.
    pub verification_sent_at: Option<DateTimeUtc>,
    pub verified_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
