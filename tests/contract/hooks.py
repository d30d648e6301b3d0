"""Schemathesis hooks for the contract run (scripts/contract).

Each request with a valid Idempotency-Key gets a key of its own: the generator repeats
the keys it draws (and the document's example) across different bodies, which the server rightly
answers with 422 `idempotency_key_reused`. Replays with one key are tested in tests/api/contract.rs.
Invalid keys and negative cases are left as they are, so that their rejection is still checked.
"""

import re
import uuid

import schemathesis

VALID_KEY = re.compile(r"^[!-~]{1,255}$")


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    headers = case.headers
    # Negative cases expect a 4xx anyway, and schemathesis revalidates a case whose headers a
    # hook changed, which would turn a "header left out" case back into a positive one.
    if not headers or (case.meta is not None and case.meta.generation.mode.is_negative):
        return
    key = headers.get("Idempotency-Key")
    if isinstance(key, str) and VALID_KEY.match(key):
        suffix = "-" + uuid.uuid4().hex
        headers["Idempotency-Key"] = key[: 255 - len(suffix)] + suffix
