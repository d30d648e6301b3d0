//! The states the service stores as words: a send's state, a placement's stage, an event's
//! outcome. Each word exists once, here; the database and the API hold these words.

/// Declares a state enum with its stable words, `as_str`, `parse` and `ALL`.
macro_rules! states {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $word:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every state, in the order of the lifecycle.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable word stored in the database and shown in the API.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)+
                }
            }

            /// Parses the stable word.
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }

            /// Every stable word, for enums in the API document.
            pub fn words() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.as_str()).collect()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

states!(
    /// Where a send stands: planned, then queued (it has a job), sending (a worker holds it),
    /// and at last sent, failed, cancelled or bounced; deferred sends wait for their retry.
    SendState {
        Planned => "planned",
        Queued => "queued",
        Sending => "sending",
        Sent => "sent",
        /// Refused for now; tried again at `next_attempt_at`.
        Deferred => "deferred",
        Failed => "failed",
        /// Not sent because the warmup was stopped before.
        Cancelled => "cancelled",
        /// Accepted, then returned by a delivery report.
        Bounced => "bounced",
    }
);

states!(
    /// Where a seed's work on a delivered message stands.
    PlacementStage {
        /// Looking for the message in the seed's folders.
        Locating => "locating",
        /// Found; planned steps (open, flag, rescue, reply, archive) remain.
        Engaging => "engaging",
        Done => "done",
    }
);

states!(
    /// What an event of a mailbox's warmup says: how an attempt ended, or what a delivery
    /// report said afterwards.
    EventOutcome {
        Sent => "sent",
        Deferred => "deferred",
        Failed => "failed",
        Bounced => "bounced",
        Delayed => "delayed",
    }
);

states!(
    /// What a placement's history records: where the message was found (or that it was not),
    /// each action a seed took, the answer found at the sender, and errors.
    PlacementEvent {
        Located => "located",
        Missing => "missing",
        Rescue => "rescue",
        Open => "open",
        Flag => "flag",
        Reply => "reply",
        Archive => "archive",
        /// The seed's answer found in the sender's mailbox.
        ReplySeen => "reply_seen",
        Error => "error",
    }
);

states!(
    /// The category of a delivery event no SMTP answer classified (the others are
    /// [`crate::smtp_reply::ReplyCategory`] words).
    EventSource {
        /// An interrupted send, settled by asking its seed.
        Recovered => "recovered",
        /// A delivery report (a bounce or a delay notice).
        Dsn => "dsn",
    }
);

impl From<crate::engagement::Action> for PlacementEvent {
    fn from(a: crate::engagement::Action) -> Self {
        use crate::engagement::Action;
        match a {
            Action::Rescue => PlacementEvent::Rescue,
            Action::Open => PlacementEvent::Open,
            Action::Flag => PlacementEvent::Flag,
            Action::Reply => PlacementEvent::Reply,
            Action::Archive => PlacementEvent::Archive,
        }
    }
}

states!(
    /// What an organization's webhooks can be told of.
    EventType {
        /// The service stopped a mailbox's warmup: the server refused its login or blocked it.
        MailboxStopped => "mailbox.stopped",
        /// The self-adjusting ramp held, stepped back or resumed.
        MailboxWarmupAdjusted => "mailbox.warmup_adjusted",
        /// Deferrals with one status code went over the organization's threshold within an hour.
        SendErrorsSpike => "send.errors_spike",
        /// A mailbox's inbox rate fell below the organization's threshold.
        PlacementDropped => "placement.dropped",
        /// A placement test ended.
        PlacementTestFinished => "placement_test.finished",
        /// A domain's health grade changed.
        DomainHealthChanged => "domain.health_changed",
        /// A domain or its sending address appeared on a blocklist.
        DomainBlocklisted => "domain.blocklisted",
        /// A seed of the organization could not be read and was given up on.
        SeedUnreachable => "seed.unreachable",
        /// The service turned a webhook off after it failed for days.
        WebhookDisabled => "webhook.disabled",
        /// Sent on request to try a webhook.
        WebhookTest => "webhook.test",
    }
);

states!(
    /// Where one event's delivery to one webhook stands: pending (waiting for its time),
    /// queued (it has a job), delivering (a worker holds it), then delivered or failed.
    DeliveryState {
        Pending => "pending",
        Queued => "queued",
        Delivering => "delivering",
        Delivered => "delivered",
        Failed => "failed",
    }
);

impl DeliveryState {
    /// The states of a delivery still being tried.
    pub const OPEN: [DeliveryState; 3] = [
        DeliveryState::Pending,
        DeliveryState::Queued,
        DeliveryState::Delivering,
    ];

    /// The stored words of [`Self::OPEN`].
    pub fn open_words() -> [&'static str; 3] {
        Self::OPEN.map(DeliveryState::as_str)
    }
}

states!(
    /// What one try of a delivery ended in.
    DeliveryOutcome {
        /// The receiver answered 2xx.
        Delivered => "delivered",
        /// Another try follows (timeout, connection error, 429, 5xx).
        Retry => "retry",
        /// No more tries: another answer, the address refused, or the 24 hours are over.
        Failed => "failed",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_parses_back_and_words_are_distinct() {
        fn check<T: Copy + PartialEq + std::fmt::Debug>(
            all: &[T],
            word: fn(T) -> &'static str,
            parse: fn(&str) -> Option<T>,
        ) {
            let mut seen = std::collections::HashSet::new();
            for &v in all {
                assert_eq!(parse(word(v)), Some(v));
                assert!(seen.insert(word(v)), "{} twice", word(v));
            }
            assert_eq!(parse("nonsense"), None);
        }
        check(SendState::ALL, SendState::as_str, SendState::parse);
        check(
            PlacementStage::ALL,
            PlacementStage::as_str,
            PlacementStage::parse,
        );
        check(EventOutcome::ALL, EventOutcome::as_str, EventOutcome::parse);
        check(
            PlacementEvent::ALL,
            PlacementEvent::as_str,
            PlacementEvent::parse,
        );
        check(EventSource::ALL, EventSource::as_str, EventSource::parse);
        check(EventType::ALL, EventType::as_str, EventType::parse);
        check(
            DeliveryState::ALL,
            DeliveryState::as_str,
            DeliveryState::parse,
        );
        check(
            DeliveryOutcome::ALL,
            DeliveryOutcome::as_str,
            DeliveryOutcome::parse,
        );
        for a in crate::engagement::Action::ALL {
            assert_eq!(PlacementEvent::from(a).as_str(), a.as_str());
        }
    }

    #[test]
    fn the_stored_words_are_the_ones_rows_already_hold() {
        assert_eq!(
            SendState::words(),
            [
                "planned",
                "queued",
                "sending",
                "sent",
                "deferred",
                "failed",
                "cancelled",
                "bounced"
            ]
        );
        assert_eq!(PlacementStage::words(), ["locating", "engaging", "done"]);
        assert_eq!(
            EventOutcome::words(),
            ["sent", "deferred", "failed", "bounced", "delayed"]
        );
    }
}
