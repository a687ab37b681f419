"""Summaries from raw samples: medians and tail percentiles, never averages of averages."""

from __future__ import annotations

import math


def percentile(samples, fraction: float) -> float | None:
    """The nearest-rank percentile (0 < fraction <= 1) of raw samples; None when empty."""
    ordered = sorted(samples)
    if not ordered:
        return None
    rank = max(math.ceil(fraction * len(ordered)), 1)
    return ordered[rank - 1]


def median(samples) -> float | None:
    ordered = sorted(samples)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def summary(samples) -> dict:
    samples = list(samples)
    return {
        "count": len(samples),
        "p50": percentile(samples, 0.50),
        "p90": percentile(samples, 0.90),
        "p99": percentile(samples, 0.99),
        "max": max(samples) if samples else None,
    }


def ratio(numerator, denominator) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def rounded(value, places: int = 2):
    if isinstance(value, float):
        return round(value, places)
    if isinstance(value, dict):
        return {key: rounded(item, places) for key, item in value.items()}
    if isinstance(value, list):
        return [rounded(item, places) for item in value]
    return value
