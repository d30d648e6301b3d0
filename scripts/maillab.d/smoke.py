#!/usr/bin/env python3
"""End-to-end smoke test of the mail lab (run through `scripts/maillab smoke`).

Usage: smoke.py ENV_FILE [--quick]

ENV_FILE holds the output of `scripts/maillab env`. Only the standard library is
used. Every check talks to the lab over loopback exactly as a client would:
SMTP submission and MX listeners, IMAP/IMAPS with the lab CA, and
`scripts/maillab where` as ground truth. --quick skips the checks that wait for
Postfix's delay notices and bounces of deferred mail (about 80 s).
"""

import email
import email.policy
import email.utils
import imaplib
import os
import shlex
import smtplib
import socket
import ssl
import subprocess
import sys
import time
import uuid
from email.message import EmailMessage

RESULTS = []


def load_env(path):
    env = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, raw = line.split("=", 1)
            parts = shlex.split(raw) if raw else [""]
            env[key] = parts[0] if parts else ""
    return env


E = load_env(sys.argv[1])
QUICK = "--quick" in sys.argv[2:]
SCRIPT = os.environ.get("MAILLAB_SCRIPT") or E["MAILLAB_SCRIPT"]
PASSWORD = E["MAILLAB_PASSWORD"]
HOST = E["MAILLAB_SMTP_HOST"]


def tls_context():
    ctx = ssl.create_default_context(cafile=E["MAILLAB_CA_FILE"])
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


def check(name, fn):
    t0 = time.time()
    try:
        detail = fn()
        RESULTS.append((name, True, detail))
        print(f"PASS {name} ({time.time() - t0:.1f}s){': ' + detail if detail else ''}", flush=True)
    except Exception as exc:  # noqa: BLE001 - report every failure and go on
        RESULTS.append((name, False, repr(exc)))
        print(f"FAIL {name} ({time.time() - t0:.1f}s): {exc!r}", flush=True)


def expect(cond, msg):
    if not cond:
        raise AssertionError(msg)


def addr(domain, tag="t"):
    return f"{tag}-{uuid.uuid4().hex[:10]}@{domain}"


def make_msg(sender, rcpt, subject, headers=None, body="Hello from the maillab smoke test.\n"):
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = rcpt
    msg["Subject"] = subject
    mid = f"<smoke-{uuid.uuid4().hex}@{sender.split('@')[1]}>"
    msg["Message-ID"] = mid
    msg["Date"] = email.utils.formatdate(localtime=True)
    for k, v in (headers or {}).items():
        msg[k] = v
    msg.set_content(body)
    return msg, mid


def submit(sender, rcpts, msg, port=None, implicit_tls=False):
    port = int(port or E["MAILLAB_SUBMISSION_PORT"])
    ctx = tls_context()
    if implicit_tls:
        s = smtplib.SMTP_SSL(HOST, port, context=ctx, timeout=20)
    else:
        s = smtplib.SMTP(HOST, port, timeout=20)
        s._host = "localhost"  # name checked against the certificate by starttls()
        s.starttls(context=ctx)
    s.login(sender, PASSWORD)
    s.send_message(msg, from_addr=sender, to_addrs=rcpts)
    s.quit()


def where(mid):
    out = subprocess.run([SCRIPT, "where", mid], capture_output=True, text=True, check=True).stdout
    return [tuple((line.split("\t") + ["", "", ""])[:3]) for line in out.splitlines() if line.strip()]


def wait_where(mid, n=1, timeout=30):
    deadline = time.time() + timeout
    while True:
        rows = where(mid)
        if len(rows) >= n or time.time() > deadline:
            return rows
        time.sleep(0.5)


def deliver_and_locate(rcpt, headers=None, sender=None, timeout=30):
    sender = sender or addr(E["MAILLAB_SENDER_DOMAIN"], "s")
    msg, mid = make_msg(sender, rcpt, "smoke " + rcpt, headers)
    submit(sender, [rcpt], msg)
    rows = wait_where(mid, 1, timeout)
    expect(rows, f"{mid} to {rcpt} not delivered within {timeout}s")
    return rows


def expect_folder(rcpt, folder, headers=None, sender=None, timeout=30):
    rows = deliver_and_locate(rcpt, headers, sender, timeout)
    expect(len(rows) == 1, f"expected one copy, got {rows}")
    user, mbox, _ = rows[0]
    expect(user == rcpt.lower(), f"delivered to {user}, not {rcpt}")
    expect(mbox == folder, f"landed in {mbox!r}, expected {folder!r}")
    return f"{rcpt} -> {mbox}"


# ------------------------------------------------------------------ raw SMTP helpers
def smtp_direct(host, port, rcpt, sender=None):
    """Talk to an MX listener without authentication; returns (code, text) of RCPT."""
    s = smtplib.SMTP(host, int(port), timeout=15)
    s.ehlo("client.maillab.test")
    code, _ = s.mail(sender or addr(E["MAILLAB_SENDER_DOMAIN"], "s"))
    expect(code == 250, f"MAIL FROM refused: {code}")
    code, text = s.rcpt(rcpt)
    try:
        s.quit()
    except smtplib.SMTPServerDisconnected:
        pass
    return code, text.decode()


def mx(name):
    return E[f"MAILLAB_{name}_MX_HOST"], E[f"MAILLAB_{name}_MX_PORT"]


# ------------------------------------------------------------------ IMAP helpers
def imap_login(user, host=None, port=None, tls="starttls", server_hostname="localhost"):
    host = host or E["MAILLAB_IMAP_HOST"]
    if tls == "imaps":
        c = imaplib.IMAP4_SSL(host, int(port or E["MAILLAB_IMAPS_PORT"]), ssl_context=tls_context(), timeout=15)
    else:
        c = imaplib.IMAP4(host, int(port or E["MAILLAB_IMAP_PORT"]), timeout=15)
        if tls == "starttls":
            # imaplib verifies against self.host; give it the certificate name.
            c.host = server_hostname
            c.starttls(ssl_context=tls_context())
    c.login(user, PASSWORD)
    return c


def capabilities(c):
    typ, data = c.capability()
    return set(data[0].decode().upper().split())


def list_folders(c):
    typ, data = c.list()
    out = {}
    for raw in data:
        line = raw.decode()
        flags = line[line.index("(") + 1:line.index(")")]
        name = line.rsplit(' "/" ', 1)[1].strip('"')
        out[name] = set(flags.split())
    return out


def inbox_messages(user):
    c = imap_login(user)
    c.select("INBOX")
    typ, data = c.search(None, "ALL")
    msgs = []
    for num in data[0].split():
        typ, d = c.fetch(num, "(RFC822)")
        msgs.append(email.message_from_bytes(d[0][1], policy=email.policy.default))
    c.logout()
    return msgs


def dsn_with(msgs, mid, action):
    """A DSN (multipart/report) whose delivery-status says ACTION and quotes MID."""
    for m in msgs:
        if m.get_content_type() != "multipart/report":
            continue
        status = ""
        quoted = False
        for part in m.walk():
            ct = part.get_content_type()
            if ct == "message/delivery-status":
                status = part.as_string()
            if ct in ("message/rfc822", "text/rfc822-headers"):
                quoted = quoted or mid in part.as_string()
        if quoted and f"Action: {action}" in status:
            return m, status
    return None, None


# ------------------------------------------------------------------ DNS (minimal client)
QTYPES = {"A": 1, "PTR": 12, "MX": 15, "TXT": 16}


def dns_query(name, qtype):
    """Ask the lab's dnsmasq over UDP; returns (rcode, [answer rdata decoded])."""
    import random
    import struct
    qid = random.randint(0, 0xFFFF)
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    q += b"".join(bytes([len(p)]) + p.encode() for p in name.rstrip(".").split(".")) + b"\0"
    q += struct.pack(">HH", QTYPES[qtype], 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(5)
        s.sendto(q, (E["MAILLAB_DNS_HOST"], int(E["MAILLAB_DNS_PORT"])))
        data, _ = s.recvfrom(65535)

    def read_name(off):
        labels = []
        while True:
            ln = data[off]
            if ln & 0xC0 == 0xC0:
                ptr = struct.unpack(">H", data[off:off + 2])[0] & 0x3FFF
                return ".".join(labels + [read_name(ptr)[0]]).strip("."), off + 2
            off += 1
            if ln == 0:
                return ".".join(labels), off
            labels.append(data[off:off + ln].decode())
            off += ln

    rid, flags, qd, an, _, _ = struct.unpack(">HHHHHH", data[:12])
    expect(rid == qid, "DNS id mismatch")
    off = 12
    for _ in range(qd):
        off = read_name(off)[1] + 4
    out = []
    for _ in range(an):
        off = read_name(off)[1]
        rtype, _, _, rdlen = struct.unpack(">HHIH", data[off:off + 10])
        off += 10
        rdata = data[off:off + rdlen]
        if rtype == 1:
            out.append(socket.inet_ntoa(rdata))
        elif rtype == 12:
            out.append(read_name(off)[0])
        elif rtype == 15:
            out.append((struct.unpack(">H", rdata[:2])[0], read_name(off + 2)[0]))
        elif rtype == 16:
            strings, i = [], 0
            while i < len(rdata):
                strings.append(rdata[i + 1:i + 1 + rdata[i]].decode())
                i += 1 + rdata[i]
            out.append(strings)
        off += rdlen
    return flags & 0xF, out


# ------------------------------------------------------------------ checks
def main():
    sdom = E["MAILLAB_SENDER_DOMAIN"]

    # Start the slow end-to-end faults first; their DSNs are checked at the end.
    slow = []
    if not QUICK:
        for dom in ("MAILLAB_FAULT_REFUSED_DOMAIN", "MAILLAB_FAULT_DROPPED_DOMAIN", "MAILLAB_FAULT_CLOSING_DOMAIN"):
            s = addr(sdom, "s")
            r = addr(E[dom])
            m, mid = make_msg(s, r, "smoke deferred " + r)
            submit(s, [r], m)
            slow.append((E[dom], s, mid, time.time()))

    # --- DNS
    def dns():
        rc, mxs = dns_query("gmail.test", "MX")
        expect(mxs == [(10, "mx.gmail.test")], f"MX {mxs}")
        rc, a = dns_query("mx.gmail.test", "A")
        expect(a == [E["MAILLAB_GMAIL_MX_HOST"]], f"A {a}")
        rc, ptr = dns_query("11.0.0.127.in-addr.arpa", "PTR")
        expect(ptr == ["mx.gmail.test"], f"PTR {ptr}")
        rc, ptr = dns_query("1.0.0.127.in-addr.arpa", "PTR")
        expect(ptr == ["smtp.sender.test"], f"PTR {ptr}")
        rc, spf = dns_query("sender.test", "TXT")
        expect(any("".join(t).startswith("v=spf1 ") for t in spf), f"SPF {spf}")
        sel = E["MAILLAB_DKIM_SELECTOR"]
        rc, dk = dns_query(f"{sel}._domainkey.{E['MAILLAB_DKIM_DOMAIN']}", "TXT")
        with open(E["MAILLAB_DKIM_TXT_FILE"], encoding="ascii") as f:
            want = f.read().strip()
        expect(len(dk) == 1 and "".join(dk[0]) == want, "DKIM TXT differs from the key file")
        expect(all(len(s) <= 255 for s in dk[0]) and len(dk[0]) > 1, f"DKIM strings {list(map(len, dk[0]))}")
        rc, dm = dns_query("_dmarc.sender.test", "TXT")
        expect(dm and "".join(dm[0]).startswith("v=DMARC1;"), f"DMARC {dm}")
        for ip in E["MAILLAB_DNSBL_LISTED"].split(","):
            rev = ".".join(reversed(ip.split("."))) + "." + E["MAILLAB_DNSBL_ZONE"]
            rc, a = dns_query(rev, "A")
            expect(a == ["127.0.0.2"], f"{rev} {a}")
        rc, a = dns_query("10.0.0.127." + E["MAILLAB_DNSBL_ZONE"], "A")
        expect(rc == 3 and not a, f"unlisted: rcode {rc} {a}")
        return f"MX/A/PTR, SPF, DKIM in {len(dk[0])} strings, DMARC, DNSBL"
    check("DNS records", dns)

    # --- delivery per provider
    check("deliver gmail.test inbox", lambda: expect_folder(addr("gmail.test"), "INBOX"))
    check("deliver outlook.test inbox (with DKIM-Signature)", lambda: expect_folder(
        addr("outlook.test"), "INBOX", {"DKIM-Signature": "v=1; a=rsa-sha256; d=sender.test; s=lab; b=x"}))
    check("deliver yahoo.test inbox (after greylisting)", lambda: expect_folder(addr("yahoo.test"), "INBOX", timeout=40))
    check("deliver corp.test inbox", lambda: expect_folder(addr("corp.test"), "INBOX"))
    check("deliver oldmail.test inbox", lambda: expect_folder(addr("oldmail.test"), "INBOX"))
    check("deliver sender.test inbox (local)", lambda: expect_folder(addr(sdom), "INBOX"))
    def plus_address():
        u = addr("gmail.test")
        rows = deliver_and_locate(u.replace("@", "+tag@"))
        expect(rows and rows[0][0] == u, f"{rows}")
        return f"{rows[0]}"
    check("plus-address t+tag delivered to t", plus_address)

    # --- junk rules
    check("gmail: cold.test sender -> spam", lambda: expect_folder(
        addr("gmail.test"), E["MAILLAB_GMAIL_SPAM_FOLDER"], sender=addr(E["MAILLAB_COLD_DOMAIN"], "c")))
    check("gmail: X-Lab-Verdict spam -> spam", lambda: expect_folder(
        addr("gmail.test"), E["MAILLAB_GMAIL_SPAM_FOLDER"], {"X-Lab-Verdict": "spam"}))
    check("gmail: cold.test + X-Lab-Verdict inbox -> INBOX", lambda: expect_folder(
        addr("gmail.test"), "INBOX", {"X-Lab-Verdict": "inbox"}, sender=addr(E["MAILLAB_COLD_DOMAIN"], "c")))
    check("gmail: X-Lab-Category promotions -> category", lambda: expect_folder(
        addr("gmail.test"), E["MAILLAB_GMAIL_CATEGORY_FOLDER"], {"X-Lab-Category": "promotions"}))
    check("gmail: List-Unsubscribe -> category", lambda: expect_folder(
        addr("gmail.test"), E["MAILLAB_GMAIL_CATEGORY_FOLDER"], {"List-Unsubscribe": "<mailto:u@sender.test>"}))
    check("outlook: no DKIM-Signature -> Junk Email", lambda: expect_folder(
        addr("outlook.test"), E["MAILLAB_OUTLOOK_SPAM_FOLDER"]))
    check("yahoo: Precedence bulk -> Bulk", lambda: expect_folder(
        addr("yahoo.test"), E["MAILLAB_YAHOO_SPAM_FOLDER"], {"Precedence": "bulk"}, timeout=40))
    check("corp: X-Spam-Flag YES -> Junk", lambda: expect_folder(
        addr("corp.test"), E["MAILLAB_CORP_SPAM_FOLDER"], {"X-Spam-Flag": "YES"}))
    check("oldmail: X-Lab-Verdict spam -> localized spam folder", lambda: expect_folder(
        addr("oldmail.test"), E["MAILLAB_OLDMAIL_SPAM_FOLDER"], {"X-Lab-Verdict": "spam"}))

    # --- direct MX replies
    def greylist():
        host, port = mx("YAHOO")
        s, r = addr(sdom, "s"), addr("yahoo.test")
        code, text = smtp_direct(host, port, r, s)
        expect(code in (450, 451) and (" 4.2.0 " in f" {text} " or "4.7.1" in text), f"first try: {code} {text}")
        first = f"{code} {text}"
        time.sleep(int(E["MAILLAB_GREYLIST_DELAY_SECONDS"]) + 1)
        code2, text2 = smtp_direct(host, port, r, s)
        expect(code2 == 250, f"retry: {code2} {text2}")
        return f"{first[:40]}... then {code2}"
    check("yahoo MX greylists then accepts", greylist)

    def direct(name, rcpt, want_code, want_status):
        host, port = mx(name)
        code, text = smtp_direct(host, port, rcpt)
        expect(code == want_code and text.startswith(want_status), f"{code} {text}")
        return f"{code} {text}"
    check("flaky MX: 451 4.4.2 at RCPT", lambda: direct("FAULT_FLAKY", addr("flaky.test"), 451, "4.4.2"))
    check("corp MX: nouser-* 550 5.1.1", lambda: direct("CORP", addr("corp.test", "nouser"), 550, "5.1.1"))
    check("unknown.test MX: 550 5.1.1", lambda: direct("FAULT_UNKNOWN", addr("unknown.test"), 550, "5.1.1"))
    check("gmail MX refuses other domains", lambda: direct("GMAIL", addr("outlook.test"), 554, "5.7.1"))

    def closing():
        host, port = mx("FAULT_CLOSING")
        s = smtplib.SMTP(host, int(port), timeout=15)
        s.ehlo("client.maillab.test")
        s.mail(addr(sdom, "s"))
        code, text = s.rcpt(addr("closing.test"))
        expect(code == 421 and text.decode().startswith("4.7.0"), f"{code} {text!r}")
        try:
            s.noop()
            raise AssertionError("session still open after 421")
        except smtplib.SMTPServerDisconnected:
            pass
        return f"{code} {text.decode()} (then closed)"
    check("closing MX: 421 4.7.0 and disconnect", closing)

    def dropped():
        host, port = mx("FAULT_DROPPED")
        try:
            smtplib.SMTP(host, int(port), timeout=10)
        except smtplib.SMTPServerDisconnected as exc:
            return f"connection closed without greeting ({exc})"
        raise AssertionError("got a greeting")
    check("dropped MX: accepts then closes", dropped)

    def refused():
        host, port = mx("FAULT_REFUSED")
        try:
            socket.create_connection((host, int(port)), timeout=5).close()
        except ConnectionRefusedError:
            return "connection refused"
        raise AssertionError("something listens on the refused port")
    check("refused MX: connection refused", refused)

    # --- unknown user via submission: a real bounce DSN in the sender's inbox
    def bounce_unknown():
        s, r = addr(sdom, "s"), addr("corp.test", "nouser")
        m, mid = make_msg(s, r, "smoke bounce")
        t0 = time.time()
        submit(s, [r], m)
        deadline = t0 + 60
        while time.time() < deadline:
            dsn, status = dsn_with(inbox_messages(s), mid, "failed")
            if dsn:
                expect("5.1.1" in status, status)
                return f"bounce with original Message-ID after {time.time() - t0:.1f}s: {dsn['Subject']}"
            time.sleep(1)
        raise AssertionError("no bounce within 60s")
    check("nouser@corp.test via submission -> bounce DSN", bounce_unknown)

    # --- switchable 4.4.2 fault: deferred, then delivered once switched off
    def flaky_switch():
        s, r = addr(sdom, "s"), addr("flaky.test")
        m, mid = make_msg(s, r, "smoke flaky")
        submit(s, [r], m)
        log = E["MAILLAB_POSTFIX_LOG"]
        deadline = time.time() + 20
        seen = False
        while time.time() < deadline and not seen:
            with open(log, encoding="utf-8", errors="replace") as f:
                seen = any(r in line and "status=deferred" in line and "451 4.4.2" in line for line in f)
            time.sleep(0.5)
        expect(seen, "no 451 4.4.2 deferral in the Postfix log")
        subprocess.run([SCRIPT, "fault", "4.4.2", "off"], check=True, capture_output=True)
        try:
            rows = wait_where(mid, 1, 40)
            expect(rows and rows[0][1] == "INBOX", f"after fault off: {rows}")
        finally:
            subprocess.run([SCRIPT, "fault", "4.4.2", "on"], check=True, capture_output=True)
        return "deferred with 451 4.4.2, delivered after 'fault 4.4.2 off'"
    check("fault 4.4.2 on/off", flaky_switch)

    def custom_fault():
        r = addr("gmail.test")
        subprocess.run([SCRIPT, "fault", "set", r, "452 4.2.2 Mailbox full"], check=True, capture_output=True)
        try:
            host, port = mx("GMAIL")
            code, text = smtp_direct(host, port, r)
            expect(code == 452 and text.startswith("4.2.2"), f"{code} {text}")
        finally:
            subprocess.run([SCRIPT, "fault", "clear", r], check=True, capture_output=True)
        code2, _ = smtp_direct(host, port, r)
        expect(code2 == 250, f"after clear: {code2}")
        return f"{code} {text} then 250"
    check("fault set/clear custom reply", custom_fault)

    # --- IMAP
    def imap_main():
        u = addr("gmail.test")
        c = imap_login(u, tls="starttls")
        caps = capabilities(c)
        for cap in ("MOVE", "UIDPLUS", "SPECIAL-USE", "IDLE"):
            expect(cap in caps, f"{cap} missing: {sorted(caps)}")
        folders = list_folders(c)
        c.logout()
        expect("\\Junk" in folders.get("[Gmail]/Spam", set()), f"{folders}")
        expect("Junk" not in folders and "Promotions" in folders, f"{folders}")
        return "MOVE UIDPLUS SPECIAL-USE; [Gmail]/Spam is \\Junk"
    check("IMAP STARTTLS gmail capabilities and folders", imap_main)

    def move_and_flags():
        r = addr("gmail.test")
        sender = addr(sdom, "s")
        msg, mid = make_msg(sender, r, "smoke move")
        submit(sender, [r], msg)
        expect(wait_where(mid), "not delivered")
        c = imap_login(r)
        c.select("INBOX")
        typ, data = c.uid("SEARCH", None, "ALL")
        uid = data[0].split()[-1]
        c.uid("STORE", uid, "+FLAGS", "(\\Seen \\Flagged)")
        spam = E["MAILLAB_GMAIL_SPAM_FOLDER"]
        typ, data = c.uid("MOVE", uid, f'"{spam}"')
        expect(typ == "OK", f"MOVE: {typ} {data}")
        c.logout()
        rows = where(mid)
        expect(len(rows) == 1 and rows[0][1] == spam, f"{rows}")
        expect(set(rows[0][2].split()) == {"\\Seen", "\\Flagged"}, f"flags {rows[0][2]!r}")
        return f"where: {rows[0]}"
    check("IMAP STORE + MOVE seen by 'where'", move_and_flags)

    def imap_folders(dom, folder):
        def run():
            c = imap_login(addr(dom), tls="imaps")
            folders = list_folders(c)
            c.logout()
            expect("\\Junk" in folders.get(folder, set()), f"{folder} not \\Junk: {folders}")
            junk = [n for n, fl in folders.items() if "\\Junk" in fl]
            expect(junk == [folder], f"\\Junk folders: {junk}")
            return f"{folder} \\Junk"
        return run
    check("IMAPS outlook: Junk Email is \\Junk", imap_folders("outlook.test", "Junk Email"))
    check("IMAPS yahoo: Bulk is \\Junk", imap_folders("yahoo.test", "Bulk"))
    check("IMAPS corp: Junk is \\Junk", imap_folders("corp.test", "Junk"))

    def imap_oldmail():
        c = imap_login(addr("oldmail.test"), host=E["MAILLAB_OLDMAIL_IMAP_HOST"],
                       port=E["MAILLAB_OLDMAIL_IMAP_PORT"], tls="starttls", server_hostname="imap.oldmail.test")
        caps = capabilities(c)
        expect("MOVE" not in caps and "SPECIAL-USE" not in caps, f"{sorted(caps)}")
        expect("UIDPLUS" in caps, f"{sorted(caps)}")
        folders = list_folders(c)
        c.logout()
        expect(E["MAILLAB_OLDMAIL_SPAM_FOLDER_UTF7"] in folders, f"{folders}")
        expect(not any(fl & {"\\Junk", "\\Sent", "\\Trash", "\\Drafts"} for fl in folders.values()), f"{folders}")
        return f"no MOVE/SPECIAL-USE; {E['MAILLAB_OLDMAIL_SPAM_FOLDER_UTF7']!r} on the wire"
    check("IMAP oldmail: no MOVE/SPECIAL-USE, mUTF-7 spam folder", imap_oldmail)

    def imaps_verify():
        ctx = tls_context()
        for name in ("localhost", "imap.gmail.test", "127.0.0.1"):
            with socket.create_connection((E["MAILLAB_IMAP_HOST"], int(E["MAILLAB_IMAPS_PORT"])), timeout=5) as raw:
                with ctx.wrap_socket(raw, server_hostname=name) as tls:
                    expect(tls.recv(100).startswith(b"* OK"), "no greeting")
        try:
            with socket.create_connection((E["MAILLAB_IMAP_HOST"], int(E["MAILLAB_IMAPS_PORT"])), timeout=5) as raw:
                with ctx.wrap_socket(raw, server_hostname="imap.example.com"):
                    pass
            raise AssertionError("a wrong host name was accepted")
        except ssl.SSLCertVerificationError:
            pass
        return "verified for localhost, imap.gmail.test, 127.0.0.1; wrong name rejected"
    check("IMAPS certificate chain and host name verification", imaps_verify)

    def auth_rules():
        s = smtplib.SMTP(HOST, int(E["MAILLAB_SUBMISSION_PORT"]), timeout=10)
        s.ehlo()
        expect(s.has_extn("starttls"), "no STARTTLS offered")
        try:
            s.login(addr(sdom), "wrong-password")
            raise AssertionError("wrong password accepted")
        except smtplib.SMTPAuthenticationError:
            pass
        s.quit()
        try:
            imap_login(addr("example.com"))
            raise AssertionError("non-lab domain accepted by IMAP")
        except imaplib.IMAP4.error:
            pass
        u = addr(sdom, "s")
        r = addr("corp.test")
        m, mid = make_msg(u, r, "smoke submissions")
        submit(u, [r], m, port=E["MAILLAB_SUBMISSIONS_PORT"], implicit_tls=True)
        rows = wait_where(mid, 1, 30)
        expect(rows and rows[0][1] == "INBOX", f"{rows}")
        return "STARTTLS offered; bad password and foreign domain refused; port 465-style works"
    check("submission auth rules and implicit TLS", auth_rules)

    # --- slow faults: delay notice and bounce for deferred mail
    for dom, s, mid, t0 in slow:
        def slow_check(dom=dom, s=s, mid=mid, t0=t0):
            lifetime = int(E["MAILLAB_QUEUE_LIFETIME_SECONDS"])
            deadline = t0 + lifetime + 60
            delayed_at = bounced_at = None
            while time.time() < deadline and not bounced_at:
                msgs = inbox_messages(s)
                d, dstat = dsn_with(msgs, mid, "delayed")
                if d and not delayed_at:
                    delayed_at = time.time() - t0
                    delayed_status = dstat
                b, bstat = dsn_with(msgs, mid, "failed")
                if b:
                    bounced_at = time.time() - t0
                    bounce_status = bstat
                time.sleep(2)
            expect(delayed_at is not None, "no delay notice")
            expect(bounced_at is not None, "no bounce")
            code = [ln for ln in bounce_status.splitlines() if ln.startswith("Status:")]
            return (f"delay notice after {delayed_at:.0f}s, bounce after {bounced_at:.0f}s, "
                    f"{code[0] if code else '?'}")
        check(f"{dom} via submission -> delay notice + bounce", slow_check)

    passed = sum(1 for _, ok, _ in RESULTS if ok)
    failed = len(RESULTS) - passed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
