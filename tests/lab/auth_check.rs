//! SPF, DKIM and DMARC of lab mail as a seed sees it: submitted through the lab, read back from
//! the seed's mailbox over IMAP, verified against the lab's DNS.
//!
//! What the lab implies: its Postfix sends from 127.0.0.1 with HELO smtp.sender.test, and the
//! seed's topmost trace header (Dovecot's LMTP hop) records exactly that. sender.test publishes
//! `v=spf1 ip4:127.0.0.1 ip4:127.0.0.10 -all`, DKIM at `lab._domainkey` and
//! `v=DMARC1; p=quarantine; adkim=r; aspf=r`; cold.test `v=spf1 ip4:127.0.0.1 ~all` and
//! `p=none`; smtp.sender.test and the provider domains publish no SPF or DMARC record.

use std::time::Duration;

use warmup_mail::auth::{AuthResults, AuthVerifier};

use crate::support::{Lab, lab_dns, var};

const ARRIVAL: Duration = Duration::from_secs(40);

/// How a test message is sent: the envelope's domain (also the submission login), the From
/// header's domain, and whether it is DKIM-signed for sender.test.
struct Sending {
    envelope_domain: &'static str,
    from_domain: &'static str,
    sign: bool,
    /// A Subject written over the signed one, so that the signature no longer verifies.
    tampered_subject: Option<&'static str>,
}

fn verifier() -> AuthVerifier {
    AuthVerifier::new(&[lab_dns()]).unwrap_or_else(|e| panic!("verifier: {e}"))
}

/// Sends one message to a fresh corp.test seed, fetches it from the seed's INBOX over IMAP and
/// verifies it.
async fn received(lab: &Lab, verifier: &AuthVerifier, how: Sending) -> AuthResults {
    let envelope = lab.unique("a", how.envelope_domain);
    let from = if how.from_domain == how.envelope_domain {
        envelope.clone()
    } else {
        lab.unique("a", how.from_domain)
    };
    let seed = lab.unique("seed", "corp.test");
    let (id, mut message) = lab.message(&from, &seed, "Notes from Tuesday", &[]);
    if how.sign {
        let pem = std::fs::read_to_string(var("MAILLAB_DKIM_KEY_FILE"))
            .unwrap_or_else(|e| panic!("lab DKIM key: {e}"));
        message =
            warmup_mail::dkim::sign(&message, &pem, "sender.test", &var("MAILLAB_DKIM_SELECTOR"))
                .unwrap_or_else(|e| panic!("signing: {e}"));
    }
    if let Some(subject) = how.tampered_subject {
        let text = String::from_utf8_lossy(&message).replace(
            "Subject: Notes from Tuesday",
            &format!("Subject: {subject}"),
        );
        message = text.into_bytes();
    }
    lab.submit(&envelope, &[&seed], &message)
        .await
        .unwrap_or_else(|r| panic!("submission refused: {r:?}"));
    let copy = lab.wait_for(&id, ARRIVAL).await;
    assert_eq!(
        (copy.user.as_str(), copy.folder.as_str()),
        (seed.as_str(), "INBOX")
    );
    let raw = lab
        .read_folder(&seed, "INBOX")
        .await
        .into_iter()
        .find(|m| m.contains(&id))
        .unwrap_or_else(|| panic!("<{id}> is not in {seed}'s INBOX over IMAP"));
    verifier.verify(raw.as_bytes()).await
}

fn words(r: &AuthResults) -> (&str, &str, &str) {
    (r.spf.as_str(), r.dkim.as_str(), r.dmarc.as_str())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_check_reports_what_the_lab_s_records_imply_for_the_observed_client() {
    let lab = Lab::get();
    let verifier = verifier();
    let (signed, unsigned, foreign_envelope, tampered, unpublished) = tokio::join!(
        received(
            &lab,
            &verifier,
            Sending {
                envelope_domain: "sender.test",
                from_domain: "sender.test",
                sign: true,
                tampered_subject: None,
            }
        ),
        received(
            &lab,
            &verifier,
            Sending {
                envelope_domain: "sender.test",
                from_domain: "sender.test",
                sign: false,
                tampered_subject: None,
            }
        ),
        received(
            &lab,
            &verifier,
            Sending {
                envelope_domain: "cold.test",
                from_domain: "sender.test",
                sign: false,
                tampered_subject: None,
            }
        ),
        received(
            &lab,
            &verifier,
            Sending {
                envelope_domain: "sender.test",
                from_domain: "sender.test",
                sign: true,
                tampered_subject: Some("Notes from Wednesday"),
            }
        ),
        received(
            &lab,
            &verifier,
            Sending {
                envelope_domain: "gmail.test",
                from_domain: "gmail.test",
                sign: false,
                tampered_subject: None,
            }
        ),
    );

    // 127.0.0.1 is in sender.test's SPF; the signature verifies; both align with From.
    assert_eq!(
        words(&signed),
        ("pass", "pass", "pass"),
        "{}",
        signed.detail
    );
    assert!(
        signed
            .detail
            .contains("client 127.0.0.1, helo smtp.sender.test"),
        "{}",
        signed.detail
    );
    assert!(
        signed.detail.contains("d=sender.test s=lab pass"),
        "{}",
        signed.detail
    );
    assert!(
        signed.detail.contains("policy quarantine"),
        "{}",
        signed.detail
    );

    // No signature, but SPF alone passes aligned (aspf=r, same domain): DMARC passes.
    assert_eq!(
        words(&unsigned),
        ("pass", "none", "pass"),
        "{}",
        unsigned.detail
    );

    // cold.test's SPF lists 127.0.0.1, so SPF passes for cold.test; but From is sender.test,
    // a different organizational domain, and nothing else aligns: sender.test's DMARC fails.
    assert_eq!(
        words(&foreign_envelope),
        ("pass", "none", "fail"),
        "{}",
        foreign_envelope.detail
    );
    assert!(
        foreign_envelope.detail.contains("spf pass for cold.test"),
        "{}",
        foreign_envelope.detail
    );

    // A signed header changed after signing: the signature fails; SPF still carries DMARC.
    assert_eq!(
        words(&tampered),
        ("pass", "fail", "pass"),
        "{}",
        tampered.detail
    );

    // gmail.test publishes neither SPF nor DMARC.
    assert_eq!(
        words(&unpublished),
        ("none", "none", "none"),
        "{}",
        unpublished.detail
    );
}
