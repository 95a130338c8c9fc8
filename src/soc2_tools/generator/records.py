"""Row types, stable identifiers and seeded draws shared by every generator module.

Nothing here holds state: helpers that draw take the random stream as an
argument, so the order of draws stays visible at the call site. The planning
records (`Policy`, `Principal`) are what a later step of an account needs to
know about an earlier one, e.g. which policies a role may attach.
"""

from __future__ import annotations

import hashlib
import random
import string
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

Row = dict[str, object]
Tables = dict[str, list[Row]]
Doc = dict[str, object]
Statement = dict[str, object]

POLICY_VERSION = "2012-10-17"
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/soc2/generator")
ALNUM = string.ascii_uppercase + string.digits


@dataclass
class Policy:
    """A managed policy of an account and its `aws_iam_policies` row."""

    name: str
    arn: str
    row: Row


@dataclass
class Principal:
    """A user, group or role and its row, for the child rows that point at it."""

    kind: str
    name: str
    arn: str
    entity_id: str
    cq_id: str
    row: Row


def cq_id(table: str, *parts: object) -> str:
    """Deterministic `_cq_id` from the table and its natural-key components."""
    return str(uuid.uuid5(ID_NAMESPACE, "|".join([table, *(str(part) for part in parts)])))


def iso(moment: datetime) -> str:
    """The timestamp text AWS puts inside JSON documents."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def naive_utc(moment: datetime) -> datetime:
    """A naive UTC timestamp to the second, as CloudQuery stores them."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def stable_id(prefix: str, name: str, length: int = 17) -> str:
    """An AWS-style id that depends on the name only (identical in every account)."""
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest().upper()
    return prefix + digest[:length]


def weighted(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    """One option drawn by weight."""
    return rng.choices([value for value, _ in options], [weight for _, weight in options])[0]


def forced(index: int, options: Sequence[tuple[str, float]], offset: int) -> str | None:
    """Cycles through every option for the first few entities so that each case occurs."""
    if index < len(options):
        return options[(index + offset) % len(options)][0]
    return None


def unique_name(wanted: str, used: set[str]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`... if taken; the result is marked used."""
    name, n = wanted, 1
    while name in used:
        n += 1
        name = f"{wanted}-{n}"
    used.add(name)
    return name


T = TypeVar("T")


def distinct(items: Sequence[T]) -> list[T]:
    """Items in order without repeats of the same object."""
    seen: list[int] = []
    out: list[T] = []
    for item in items:
        if id(item) not in seen:
            seen.append(id(item))
            out.append(item)
    return out
