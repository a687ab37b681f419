"""Faults of ours that pass by themselves: the database or Redis away for a moment. Pages answer
them with 503 and the Wall with a `failed` event the browser retries; any other exception is a
bug, and is never retried."""

from django.db import InterfaceError, OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

SERVICE_OUTAGES = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
