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

impl Model {
    /// A new active, unverified mailbox of `organization_id` with no address, servers or key yet:
    /// what a caller fills in (the one place that names every column with its starting value).
    pub fn blank(organization_id: Uuid, now: DateTimeUtc) -> Self {
        Self {
            id: Uuid::now_v7(),
            organization_id,
            email: String::new(),
            display_name: String::new(),
            provider: String::new(),
            timezone: "UTC".into(),
            status: warmup_domain::MailboxStatus::Active.as_str().into(),
            status_reason: None,
            smtp_host: String::new(),
            smtp_port: 0,
            smtp_security: String::new(),
            smtp_username: String::new(),
            smtp_password: String::new(),
            imap_host: String::new(),
            imap_port: 0,
            imap_security: String::new(),
            imap_username: String::new(),
            imap_password: String::new(),
            dkim_selector: None,
            dkim_domain: None,
            dkim_private_key: None,
            verification: warmup_domain::verification::VerificationStatus::Unverified
                .as_str()
                .into(),
            verification_reason: None,
            verification_code: None,
            verification_requested_at: None,
            verification_sent_at: None,
            verified_at: None,
            created_at: now,
            updated_at: now,
        }
    }
}
