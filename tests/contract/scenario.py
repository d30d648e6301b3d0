"""A client's day with the warmup API, through the Python client generated from the served
OpenAPI document alone (scripts/contract generates it as `warmup_client`).

Every answer must have the expected status, parse as the expected generated model, and that
model must say exactly what the JSON said (`to_dict()` equals the raw body): a field the document
forgets, or one it describes differently, shows up here as a mismatch.

Environment: WARMUP_URL (base URL), WARMUP_ADMIN_KEY (a platform administrator's key).
"""

import datetime
import json
import os
import re
import sys
import traceback
import uuid

import attrs  # the generated client's models are attrs classes
from warmup_client import AuthenticatedClient
from warmup_client.api.api_keys import create_api_key, list_api_keys, revoke_api_key
from warmup_client.api.mailboxes import create_mailbox, get_mailbox, list_mailboxes, update_mailbox
from warmup_client.api.diagnostics import diagnose_smtp
from warmup_client.api.domains import (
    check_domain, create_domain, delete_domain, get_domain, get_domain_health,
    get_domain_health_history, list_domains,
)
from warmup_client.api.organizations import create_organization
from warmup_client.api.queue import (
    delete_queued_send, delete_queued_sends, flush_queue, list_queue,
)
from warmup_client.api.placement_tests import (
    create_placement_test, delete_placement_test, get_placement_test, list_placement_tests,
)
from warmup_client.api.placements import get_mailbox_placement_summary, list_mailbox_placements
from warmup_client.api.reports import get_placement_report
from warmup_client.api.seed_splits import (
    create_seed_split, delete_seed_split, get_seed_split, get_seed_split_addresses,
    get_seed_split_placement_summary, list_seed_split_placements, list_seed_splits,
    rotate_seed_split, update_seed_split,
)
from warmup_client.api.seeds import create_seed, get_seed, list_seeds, update_seed
from warmup_client.api.webhooks import (
    create_webhook, delete_webhook, get_alert_rules, get_webhook, get_webhook_delivery,
    list_webhook_deliveries, list_webhooks, put_alert_rules, rotate_webhook_secret, test_webhook,
    update_webhook,
)
from warmup_client.api.warmup import (
    apply_warmup_preferences, get_mailbox_warmup, get_mailbox_warmup_schedule,
    get_mailbox_warmup_stats, get_warmup_preferences, list_mailbox_send_errors,
    list_mailbox_warmup_events,
    list_warmup_patterns, pause_mailbox_warmup, replace_mailbox_warmup,
    replace_warmup_preferences, start_mailbox_warmup, update_mailbox_warmup,
)
from warmup_client.models import (
    AlertRules, AlertRulesInput, CreatedWebhook, CreateWebhook, Delivery, DeliveryPage,
    ErrorsSpikeInput, PlacementDropInput, RotatedSecret, UpdateWebhook, Webhook,
    WebhookDeliveryState, WebhookEventType, WebhookPage,
    CreateDomain, DeletedSends, DiagnoseSmtp, Diagnosis, Domain, DomainPage, Flushed,
    DomainHealth, HealthHistory, HealthReport, HealthState, QueueDeletion, QueuePage,
    QueueSelection, SendErrors,
    CreatePlacementTest, PlacementReport, PlacementSource, PlacementTest, PlacementTestPage,
    ReportGroup, TestStatus,
    CreateSeedSplit, EngagementInput, SeedListPlacementPage, SeedSplit, SeedSplitPage,
    SeedSplitSummary, SplitAddresses, UpdateSeedSplit,
    ApiKeyPage, AppliedPreferences, ApplyPreferences, CreateApiKey, CreatedApiKey,
    CreatedOrganization, CreateMailbox, CreateOrganization, CreateSeed, Day, EventOutcome,
    LanguageCode, Mailbox, MailboxPage, MailboxStatus, NewServer, Pattern, PatternParams,
    PlacementClassFilter, PlacementPage, PlacementSummary, Preferences, PreferencesPatch,
    PreferencesPatchProviderSplitType0, Problem, Provider, Schedule, Seed, SeedGroup, SeedPage,
    SettableMailboxStatus, Stats, TimeZone, UpdateMailbox, UpdateSeed, WarmupEventPage,
    WarmupSettings, WarmupStatus,
)
from warmup_client.types import UNSET

# Unique per run, so the scenario also passes against a database used before.
RUN = uuid.uuid4().hex[:8]

# RFC 3339 with at most microseconds: what a Python datetime can hold without losing digits.
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)$")


def step(text):
    print(f"  ok  {text}", flush=True)


def first(found):
    """The first finding that is not None."""
    return next(filter(None, found), None)


def difference(model, raw, path="$"):
    """Where the model's JSON and the raw JSON differ, or None.

    One allowance: the client writes date-times with Python's isoformat (`+00:00`), the server
    in RFC 3339's shortest form (`Z`, 0 to 9 fractional digits). They must name the same
    instant; more digits than a datetime keeps (microseconds) count as a difference."""
    if isinstance(model, dict) and isinstance(raw, dict):
        lone = sorted(set(model) ^ set(raw))
        if lone:
            return f"{path}.{lone[0]}: only in the {'model' if lone[0] in model else 'JSON'}"
        return first(difference(model[k], raw[k], f"{path}.{k}") for k in sorted(raw))
    if isinstance(model, list) and isinstance(raw, list):
        if len(model) != len(raw):
            return f"{path}: {len(model)} items in the model, {len(raw)} in the JSON"
        return first(difference(m, r, f"{path}[{i}]") for i, (m, r) in enumerate(zip(model, raw)))
    if isinstance(model, str) and isinstance(raw, str) and TIMESTAMP.match(model) \
            and TIMESTAMP.match(raw):
        same = datetime.datetime.fromisoformat(model) == datetime.datetime.fromisoformat(raw)
    else:
        # bool is an int in Python: True == 1 must not pass.
        same = model == raw and (type(model) is bool) == (type(raw) is bool)
    return None if same else f"{path}: model {model!r}, JSON {raw!r}"


def undocumented(value, path="$"):
    """A field the server sent that the document does not name, or None. Where the document
    leaves an answer open, the client keeps unknown fields in `additional_properties` (and
    `to_dict()` writes them back): only a model without named fields (a map such as
    `provider_split`) may have any."""
    if isinstance(value, list):
        return first(undocumented(v, f"{path}[{i}]") for i, v in enumerate(value))
    if not attrs.has(type(value)):
        return None
    names = [f.name for f in attrs.fields(type(value)) if f.name != "additional_properties"]
    extra = getattr(value, "additional_properties", {})
    if names and extra:
        return f"{path}: {sorted(extra)} not described for {type(value).__name__}"
    children = [(n, getattr(value, n)) for n in names] + list(extra.items())
    return first(undocumented(v, f"{path}.{n}") for n, v in children)


def check(what, response, status, model):
    """The answer has `status` and parses as `model` (each item as `model[0]` for a list), whose
    `to_dict()` says what the JSON said. Returns the parsed answer."""
    body = response.content.decode(errors="replace")[:600]
    assert response.status_code == status, \
        f"{what}: expected status {status}, got {response.status_code}: {body}"
    parsed = response.parsed
    assert parsed is not None, f"{what}: the document does not describe status {status}: {body}"
    many = isinstance(model, list)
    assert not many or isinstance(parsed, list), f"{what}: parsed {type(parsed).__name__}"
    for item in parsed if many else [parsed]:
        expected = model[0] if many else model
        assert isinstance(item, expected), \
            f"{what}: expected {expected.__name__}, parsed {type(item).__name__}"
    dumped = [item.to_dict() for item in parsed] if many else parsed.to_dict()
    found = difference(dumped, json.loads(response.content))
    assert found is None, f"{what}: the parsed model differs from the JSON at {found}"
    found = undocumented(parsed)
    assert found is None, f"{what}: a field the document does not describe at {found}"
    step(what)
    return parsed


def problem(what, response, status, code, fields=()):
    """An error answer: a Problem with this status and code naming these fields."""
    p = check(what, response, status, Problem)
    assert p.status == status and p.code == code, f"{what}: got {p.status} {p.code!r}: {p.detail}"
    named = [e.field for e in (p.errors or [])]
    for field in fields:
        assert field in named, f"{what}: expected an error for {field!r}, got {named}"
    return p


def no_content(what, response):
    assert response.status_code == 204, \
        f"{what}: expected 204, got {response.status_code}: {response.content[:300]!r}"
    step(what)


def servers(password):
    # Named providers: the service fills in host, port, security and username.
    return {"smtp": NewServer(password=password), "imap": NewServer(password=password)}


def split(**percent):
    return PreferencesPatchProviderSplitType0.from_dict(percent)


def organization(base, admin):
    """A new organization; the rest of the scenario runs with its own key."""
    created = check("create an organization (administrator key)", create_organization.sync_detailed(
        client=admin, body=CreateOrganization(name=f"Scenario {RUN}")), 201, CreatedOrganization)
    return AuthenticatedClient(base_url=base, token=created.api_key)


def api_keys(base, client):
    created = check("create an API key", create_api_key.sync_detailed(
        client=client, body=CreateApiKey(name=f"scenario {RUN}")), 201, CreatedApiKey)
    page = check("list API keys", list_api_keys.sync_detailed(client=client), 200, ApiKeyPage)
    assert created.id in [k.id for k in page.items], "the new key is not listed"
    no_content("revoke the API key", revoke_api_key.sync_detailed(created.id, client=client))
    page = check("list API keys after revoking", list_api_keys.sync_detailed(client=client),
                 200, ApiKeyPage)
    revoked = next(k for k in page.items if k.id == created.id)
    assert revoked.revoked_at, "the key is not marked revoked"
    revoked_client = AuthenticatedClient(base_url=base, token=created.key)
    problem("the revoked key is refused", list_api_keys.sync_detailed(client=revoked_client),
            401, "unauthorized")


def seeds(client):
    ids = []
    for provider in (Provider.GMAIL, Provider.OUTLOOK, Provider.YAHOO):
        seed = check(f"create a private {provider.value} seed", create_seed.sync_detailed(
            client=client, body=CreateSeed(email=f"seed-{provider.value}-{RUN}@example.com",
                                           provider=provider, **servers("seed-secret"))),
            201, Seed)
        assert seed.provider == provider and not seed.shared and seed.imap.password_set
        ids.append(seed.id)
    page = check("list seeds", list_seeds.sync_detailed(client=client, limit=200), 200, SeedPage)
    assert set(ids) <= {s.id for s in page.items}, "a new seed is not listed"
    check("get a seed", get_seed.sync_detailed(ids[0], client=client), 200, Seed)
    seed = check("change a seed's group", update_seed.sync_detailed(
        ids[0], client=client, body=UpdateSeed(group=SeedGroup.PREMIUM)), 200, Seed)
    assert seed.group == SeedGroup.PREMIUM, f"group is {seed.group}"


def seed_lists(client):
    """A split of the organization's Outlook seed: approve senders, get its address, read it."""
    sender = f"news@acme-{RUN}.example"
    made = check("request a seed split", create_seed_split.sync_detailed(client=client,
        body=CreateSeedSplit(provider=Provider.OUTLOOK, seeds_amount=1, senders=[sender],
                             engagement=EngagementInput(reply_percent=0))), 201, SeedSplit)
    assert made.seeds_amount == 1 and made.senders == [sender], made.to_dict()
    changed = check("approve a whole domain", update_seed_split.sync_detailed(
        made.id, client=client, body=UpdateSeedSplit(add=[f"@mail.acme-{RUN}.example"])),
        200, SeedSplit)
    assert changed.added_senders_amount == 2, changed.to_dict()
    got = check("download the split's addresses", get_seed_split_addresses.sync_detailed(
        made.id, client=client), 200, SplitAddresses)
    assert [a.email for a in got.items] == [f"seed-outlook-{RUN}@example.com"], got.to_dict()
    page = check("list seed splits", list_seed_splits.sync_detailed(client=client), 200,
                 SeedSplitPage)
    assert made.id in [s.id for s in page.items]
    check("get the split", get_seed_split.sync_detailed(made.id, client=client), 200, SeedSplit)
    check("the split's placements", list_seed_split_placements.sync_detailed(
        made.id, client=client), 200, SeedListPlacementPage)
    check("the split's placement summary", get_seed_split_placement_summary.sync_detailed(
        made.id, client=client), 200, SeedSplitSummary)
    check("rotate the split", rotate_seed_split.sync_detailed(made.id, client=client), 200,
          SeedSplit)
    problem("a free-mail domain is refused", create_seed_split.sync_detailed(client=client,
        body=CreateSeedSplit(provider=Provider.OUTLOOK, seeds_amount=1, senders=["@gmail.com"])),
        422, "validation", fields=["senders[0]"])
    no_content("delete the split", delete_seed_split.sync_detailed(made.id, client=client))


def mailboxes(client):
    """Seven mailboxes (more than two pages of three); the first one is paused."""
    providers = [Provider.GMAIL, Provider.OUTLOOK, Provider.YAHOO, Provider.ZOHO, Provider.AOL]
    created = []
    for i in range(7):
        body = CreateMailbox(email=f"sender{i}-{RUN}@example.com", provider=providers[i % 5],
                             timezone=TimeZone.EUROPE_BERLIN, **servers("mailbox-secret"))
        if i == 0:
            body.status = SettableMailboxStatus.PAUSED
        created.append(check(f"create mailbox {i + 1} of 7", create_mailbox.sync_detailed(
            client=client, body=body), 201, Mailbox))
    problem("a second mailbox with the same address is a conflict", create_mailbox.sync_detailed(
        client=client, body=CreateMailbox(email=created[1].email, provider=Provider.GMAIL,
                                          **servers("x"))), 409, "conflict")

    # A new organization has only these: paging must show each of them exactly once.
    seen, after, pages = [], UNSET, 0
    while True:
        pages += 1
        page = check(f"list mailboxes, page {pages}", list_mailboxes.sync_detailed(
            client=client, limit=3, after=after), 200, MailboxPage)
        assert len(page.items) <= 3, f"a page of limit 3 has {len(page.items)} items"
        seen += [m.id for m in page.items]
        if not page.next_:
            break
        after = page.next_
    assert sorted(seen) == sorted(m.id for m in created), \
        f"paging saw {seen}, created {[m.id for m in created]}"
    assert pages == 3, f"7 mailboxes in pages of 3 took {pages} pages"

    check("get a mailbox", get_mailbox.sync_detailed(created[0].id, client=client), 200, Mailbox)
    changed = check("change display name and time zone", update_mailbox.sync_detailed(
        created[0].id, client=client, body=UpdateMailbox(
            display_name="Scenario Sender", timezone=TimeZone.AMERICA_NEW_YORK)), 200, Mailbox)
    assert changed.display_name == "Scenario Sender" and changed.timezone == "America/New_York"
    return [m.id for m in created]


def defaults(client):
    check("get the organization's defaults", get_warmup_preferences.sync_detailed(client=client),
          200, Preferences)
    prefs = check("replace the organization's defaults", replace_warmup_preferences.sync_detailed(
        client=client, body=PreferencesPatch(start_per_day=5, daily_increase=3, max_per_day=60,
                                             pattern=Pattern.B2C)), 200, Preferences)
    assert (prefs.start_per_day, prefs.max_per_day, prefs.pattern) == (5, 60, Pattern.B2C)


def mailbox_warmup(client, mailbox):
    w = check("get a mailbox's warmup", get_mailbox_warmup.sync_detailed(mailbox, client=client),
              200, WarmupSettings)
    # Not customized yet: it follows the organization's defaults set just before.
    assert not w.customized and w.preferences.start_per_day == 5, w.to_dict()
    weekdays = [Day.MON, Day.TUE, Day.WED, Day.THU, Day.FRI]
    w = check("replace a mailbox's warmup preferences", replace_mailbox_warmup.sync_detailed(
        mailbox, client=client, body=PreferencesPatch(weekdays=weekdays, max_per_day=40)),
        200, WarmupSettings)
    assert w.customized and w.preferences.weekdays == weekdays, w.to_dict()
    w = check("change the provider split and languages", update_mailbox_warmup.sync_detailed(
        mailbox, client=client, body=PreferencesPatch(
            provider_split=split(gmail=50, outlook=30, yahoo=20),
            languages=[LanguageCode.EN, LanguageCode.DE])), 200, WarmupSettings)
    got = w.preferences.provider_split.additional_properties
    assert got == {"gmail": 50, "outlook": 30, "yahoo": 20}, got
    # A patch keeps what it does not name.
    assert w.preferences.languages == ["en", "de"] and w.preferences.max_per_day == 40, w.to_dict()
    # Every provider in the split has a seed of this organization.
    assert w.warnings == [], f"unexpected warnings: {[x.to_dict() for x in w.warnings]}"
    w = check("set the self-adjusting ramp's lines", update_mailbox_warmup.sync_detailed(
        mailbox, client=client, body=PreferencesPatch(
            hold_below_inbox_percent=85, step_back_below_inbox_percent=65)), 200, WarmupSettings)
    assert w.preferences.auto_adjust and w.preferences.hold_below_inbox_percent == 85, w.to_dict()
    problem("a step-back line above the hold line", update_mailbox_warmup.sync_detailed(
        mailbox, client=client, body=PreferencesPatch(step_back_below_inbox_percent=90)),
        422, "validation", fields=["step_back_below_inbox_percent"])
    plan = check("preview 7 days of the schedule", get_mailbox_warmup_schedule.sync_detailed(
        mailbox, client=client, days=7), 200, Schedule)
    assert len(plan.days) == 7 and plan.timezone == "America/New_York", plan.to_dict()


def start_and_pause(client, mailbox):
    # Starting needs an active mailbox: this one was created paused, so first it is refused.
    problem("start a paused mailbox's warmup is a conflict", start_mailbox_warmup.sync_detailed(
        mailbox, client=client), 409, "conflict")
    m = check("set the mailbox active", update_mailbox.sync_detailed(
        mailbox, client=client, body=UpdateMailbox(status=SettableMailboxStatus.ACTIVE)),
        200, Mailbox)
    assert m.status == MailboxStatus.ACTIVE
    w = check("start the warmup", start_mailbox_warmup.sync_detailed(mailbox, client=client),
              200, WarmupSettings)
    assert w.status == WarmupStatus.RUNNING and w.started_at, w.to_dict()
    w = check("pause the warmup", pause_mailbox_warmup.sync_detailed(mailbox, client=client),
              200, WarmupSettings)
    assert w.status == WarmupStatus.PAUSED, w.to_dict()


def reports(client, mailbox):
    # The warmup ran for a moment only, so these are most likely empty: still typed answers.
    check("stats", get_mailbox_warmup_stats.sync_detailed(mailbox, client=client), 200, Stats)
    check("events", list_mailbox_warmup_events.sync_detailed(mailbox, client=client),
          200, WarmupEventPage)
    check("events that bounced", list_mailbox_warmup_events.sync_detailed(
        mailbox, client=client, outcome=EventOutcome.BOUNCED, limit=10), 200, WarmupEventPage)
    check("placements", list_mailbox_placements.sync_detailed(mailbox, client=client),
          200, PlacementPage)
    check("gmail placements in the inbox", list_mailbox_placements.sync_detailed(
        mailbox, client=client, provider=Provider.GMAIL, class_=PlacementClassFilter.INBOX),
        200, PlacementPage)
    check("placement summary", get_mailbox_placement_summary.sync_detailed(
        mailbox, client=client), 200, PlacementSummary)
    january = (datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))
    summary = check("placement summary of January", get_mailbox_placement_summary.sync_detailed(
        mailbox, client=client, from_=january[0], to=january[1]), 200, PlacementSummary)
    assert (summary.from_, summary.to) == january, summary.to_dict()


def placement_tests(client):
    """An external test on the organization's Outlook and Yahoo seeds, read back, counted in the
    organization's report while it waits, and deleted."""
    made = check("create a placement test", create_placement_test.sync_detailed(client=client,
        body=CreatePlacementTest(providers=[Provider.OUTLOOK, Provider.YAHOO],
                                 window_minutes=30)), 201, PlacementTest)
    assert made.status == TestStatus.WAITING and made.test_code.startswith("wt-"), made.to_dict()
    assert sorted(s.provider for s in made.seeds) == ["outlook", "yahoo"], made.to_dict()
    assert made.overall.score is None and made.overall.rates.pending == 2, made.to_dict()
    check("get the test", get_placement_test.sync_detailed(made.id, client=client), 200,
          PlacementTest)
    page = check("list waiting tests", list_placement_tests.sync_detailed(
        client=client, status=TestStatus.WAITING), 200, PlacementTestPage)
    assert made.id in [t.id for t in page.items]
    report = check("the organization's report of tests", get_placement_report.sync_detailed(
        client=client, group_by=ReportGroup.TEST, source=PlacementSource.TEST), 200,
        PlacementReport)
    assert [g.key for g in report.groups] == [str(made.id)], report.to_dict()
    assert report.groups[0].rates.pending == 2, report.to_dict()
    check("the report per provider", get_placement_report.sync_detailed(client=client), 200,
          PlacementReport)
    problem("a code shorter than six characters is refused", create_placement_test.sync_detailed(
        client=client, body=CreatePlacementTest(providers=[Provider.YAHOO], test_code="wt-1")),
        422, "validation", fields=["test_code"])
    no_content("delete the test", delete_placement_test.sync_detailed(made.id, client=client))


def domains_and_troubleshooting(client, mailbox):
    """A domain added, checked (its health report, then the history), refused a second check
    within the minute, deleted; a diagnosis of a domain that does not exist; the queue listed,
    flushed and refused an unnarrowed deletion; a mailbox's send errors."""
    page = check("list the domains", list_domains.sync_detailed(client=client), 200, DomainPage)
    assert all(d.source == "mailbox" for d in page.items), page.to_dict()
    name = f"scenario-{RUN}.example"
    added = check("add a domain", create_domain.sync_detailed(
        client=client, body=CreateDomain(name=name.upper())), 201, Domain)
    assert added.name == name and added.source == "manual" and added.mailboxes == 0, added.to_dict()
    check("get the domain", get_domain.sync_detailed(added.id, client=client), 200, Domain)
    problem("the same domain twice is a conflict", create_domain.sync_detailed(
        client=client, body=CreateDomain(name=name)), 409, "conflict")
    pending = check("its health before any check", get_domain_health.sync_detailed(
        added.id, client=client), 200, DomainHealth)
    assert pending.state == HealthState.PENDING, pending.to_dict()
    assert pending.checked_at is None and pending.checks == [], pending.to_dict()
    report = check("check the domain now", check_domain.sync_detailed(added.id, client=client),
                   201, HealthReport)
    assert [c.check.value for c in report.checks] == [
        "mx", "spf", "dkim", "dmarc", "reverse_dns", "mta_sts", "blocklists", "placement",
    ], report.to_dict()
    assert sum(c.weight for c in report.checks) == 100, report.to_dict()
    latest = check("its latest report", get_domain_health.sync_detailed(added.id, client=client),
                   200, DomainHealth)
    assert latest.state == HealthState.CHECKED, latest.to_dict()
    assert latest.checked_at == report.checked_at, latest.to_dict()
    assert latest.score == report.score, latest.to_dict()
    history = check("its history", get_domain_health_history.sync_detailed(
        added.id, client=client), 200, HealthHistory)
    assert len(history.items) == 1, history.to_dict()
    problem("a second check within the minute waits", check_domain.sync_detailed(
        added.id, client=client), 429, "rate_limited")
    no_content("delete the domain", delete_domain.sync_detailed(added.id, client=client))
    found = check("diagnose a domain that does not exist", diagnose_smtp.sync_detailed(
        client=client, body=DiagnoseSmtp(domain=f"no-such-{RUN}.invalid")), 200, Diagnosis)
    assert found.verdict.cause.value == "dns" and found.verdict.status.value == "failed", \
        found.to_dict()
    problem("a diagnosis wants a domain or a host", diagnose_smtp.sync_detailed(
        client=client, body=DiagnoseSmtp()), 422, "validation", fields=["domain"])
    check("the queue", list_queue.sync_detailed(client=client, mailbox_id=str(mailbox)), 200,
          QueuePage)
    check("flush deferred sends", flush_queue.sync_detailed(
        client=client, body=QueueSelection(enhanced_status="4.4")), 200, Flushed)
    problem("an unnarrowed deletion is refused", delete_queued_sends.sync_detailed(
        client=client, body=QueueDeletion()), 422, "validation", fields=["all"])
    problem("deleting an unknown send", delete_queued_send.sync_detailed(
        uuid.uuid4(), client=client), 404, "not_found")
    check("the mailbox's send errors", list_mailbox_send_errors.sync_detailed(
        mailbox, client=client), 200, SendErrors)


def webhooks(client):
    """A webhook created (its secret shown once), read, listed, changed, its secret rotated, a
    test event queued and read back as a delivery; the alert thresholds read, changed and
    refused out of range; the webhook deleted."""
    made = check("create a webhook", create_webhook.sync_detailed(client=client, body=CreateWebhook(
        url=f"https://hooks-{RUN}.example.com/in",
        events=[WebhookEventType.MAILBOX_STOPPED, WebhookEventType.MAILBOX_WARMUP_ADJUSTED])),
        201, CreatedWebhook)
    assert made.secret.startswith("whsec_") and made.active, made.to_dict()
    got = check("get the webhook", get_webhook.sync_detailed(made.id, client=client), 200, Webhook)
    assert "secret" not in got.to_dict(), got.to_dict()
    page = check("list the webhooks", list_webhooks.sync_detailed(client=client), 200, WebhookPage)
    assert [w.id for w in page.items] == [made.id], page.to_dict()
    changed = check("change its events", update_webhook.sync_detailed(
        made.id, client=client, body=UpdateWebhook(events=[WebhookEventType.PLACEMENT_DROPPED])),
        200, Webhook)
    assert changed.events == [WebhookEventType.PLACEMENT_DROPPED], changed.to_dict()
    problem("a plain-http address is refused", create_webhook.sync_detailed(
        client=client, body=CreateWebhook(url="http://hooks.example.com/in",
                                          events=[WebhookEventType.MAILBOX_STOPPED])),
        422, "validation", fields=["url"])
    rotated = check("rotate its secret", rotate_webhook_secret.sync_detailed(
        made.id, client=client), 200, RotatedSecret)
    assert rotated.secret != made.secret, rotated.to_dict()
    queued = check("send a test event", test_webhook.sync_detailed(made.id, client=client), 202,
                   Delivery)
    assert queued.event_type == WebhookEventType.WEBHOOK_TEST, queued.to_dict()
    assert queued.payload["type"] == "webhook.test", queued.to_dict()
    check("read the delivery", get_webhook_delivery.sync_detailed(
        made.id, queued.id, client=client), 200, Delivery)
    deliveries = check("list the deliveries", list_webhook_deliveries.sync_detailed(
        made.id, client=client), 200, DeliveryPage)
    assert [d.id for d in deliveries.items] == [queued.id], deliveries.to_dict()
    check("only pending ones", list_webhook_deliveries.sync_detailed(
        made.id, client=client, state=WebhookDeliveryState.PENDING), 200, DeliveryPage)
    rules = check("the alert thresholds", get_alert_rules.sync_detailed(client=client), 200,
                  AlertRules)
    assert rules.errors_spike.percent == 20, rules.to_dict()
    rules = check("change them", put_alert_rules.sync_detailed(client=client, body=AlertRulesInput(
        errors_spike=ErrorsSpikeInput(percent=30),
        placement_drop=PlacementDropInput(window_days=5))), 200, AlertRules)
    assert rules.errors_spike.percent == 30 and rules.placement_drop.window_days == 5, \
        rules.to_dict()
    problem("out of range", put_alert_rules.sync_detailed(client=client, body=AlertRulesInput(
        placement_drop=PlacementDropInput(window_days=31))), 422, "validation",
        fields=["placement_drop.window_days"])
    no_content("delete the webhook", delete_webhook.sync_detailed(made.id, client=client))


def bulk(client, ids):
    done = check("apply preferences to all mailboxes", apply_warmup_preferences.sync_detailed(
        client=client, body=ApplyPreferences(all_=True, preferences=PreferencesPatch(
            daily_variance_percent=10))), 200, AppliedPreferences)
    assert sorted(done.changed + done.unchanged) == sorted(ids), done.to_dict()
    done = check("apply preferences to two mailboxes", apply_warmup_preferences.sync_detailed(
        client=client, body=ApplyPreferences(mailbox_ids=ids[1:3], preferences=PreferencesPatch(
            reply_rate_percent=17))), 200, AppliedPreferences)
    assert sorted(done.changed) == sorted(ids[1:3]) and not done.unchanged, done.to_dict()
    check("list the patterns", list_warmup_patterns.sync_detailed(client=client),
          200, [PatternParams])


def errors(client, mailbox):
    problem("an unknown mailbox is not found", get_mailbox.sync_detailed(
        uuid.uuid4(), client=client), 404, "not_found")
    problem("a split not summing to 100 is invalid", update_mailbox_warmup.sync_detailed(
        mailbox, client=client, body=PreferencesPatch(provider_split=split(gmail=50, yahoo=20))),
        422, "validation", fields=["provider_split"])


def main():
    base, admin_key = os.environ["WARMUP_URL"], os.environ["WARMUP_ADMIN_KEY"]
    print(f"scenario {RUN} against {base}")
    client = organization(base, AuthenticatedClient(base_url=base, token=admin_key))
    api_keys(base, client)
    seeds(client)
    seed_lists(client)
    ids = mailboxes(client)
    defaults(client)
    mailbox_warmup(client, ids[0])
    start_and_pause(client, ids[0])
    reports(client, ids[0])
    placement_tests(client)
    domains_and_troubleshooting(client, ids[0])
    webhooks(client)
    bulk(client, ids)
    errors(client, ids[0])
    print("scenario passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        sys.exit(f"scenario FAILED: {e}")
    except (KeyError, TypeError, ValueError) as e:
        # The generated client could not read an answer into its model (see the traceback).
        traceback.print_exc()
        sys.exit(f"scenario FAILED: an answer does not parse as the document describes it: {e!r}")
