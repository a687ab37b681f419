"""Log filters. Invitation codes and confirmation tokens are secrets: they must not reach the
logs with a path."""

import logging
import re

_JOIN_SECRET = re.compile(r"/join/(confirm/)?[^/\s?\"']+")


def _redact(text: str) -> str:
    """Invitation codes and email-confirmation tokens both travel in /join/ paths."""
    return _JOIN_SECRET.sub(lambda match: f"/join/{match.group(1) or ''}[code]", text)


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _redact(v) if isinstance(v, str) else v
                           for k, v in record.args.items()}
        # Django's request logging passes the request object, whose path holds the code.
        if hasattr(record, "request"):
            record.request = None
        return True
