"""Where each domain says what it holds about a person, how to erase it, and how long to keep it.

A domain registers functions here instead of the privacy code knowing every table:

- `@exporter("key", "Title")`: `fn(user) -> list[dict]` rows of what the scheme holds about `user`,
  leaving out other people's private text (a mentor's own notes, say, are theirs, not the mentee's).
- `@eraser("key")`: `fn(user) -> None` run when `user` deletes their account, before the account row
  itself is emptied: destroy the person's private text, close open things kindly (tell the other
  party, end relationships), keep rows that aggregate counts need, with nothing personal in them.
- `@retention_rule("name", "CONFIG_KEY")`: `fn(cutoff) -> int` deletes or empties what is older
  than `cutoff` (now minus CONFIG_KEY months) and says how many records it touched.

Modules that register are listed in PROVIDER_MODULES and imported on first use; a new domain adds
its module there (for example "mentoring.relationships.privacy").
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

# In this order: erasers run as listed, so requests are withdrawn and relationships closed (giving
# places back) before the mentor's profile goes.
PROVIDER_MODULES: list[str] = [
    "mentoring.privacy.sources",
    "mentoring.requests_.privacy",
    "mentoring.relationships.privacy",
    "mentoring.mentors.privacy",
    "mentoring.training.privacy",
    "mentoring.conflicts.privacy",
]


@dataclass(frozen=True)
class Exporter:
    key: str
    title: str
    collect: Callable[..., list[dict]]


@dataclass(frozen=True)
class Eraser:
    key: str
    erase: Callable[..., None]


@dataclass(frozen=True)
class RetentionRule:
    name: str
    months_setting: str
    purge: Callable[[datetime], int]


EXPORTERS: list[Exporter] = []
ERASERS: list[Eraser] = []
RETENTION_RULES: list[RetentionRule] = []


def _replace(registry: list, attribute: str, item) -> None:
    # Registering the same key again (a module re-imported in tests) replaces the old entry.
    registry[:] = [old for old in registry if getattr(old, attribute) != getattr(item, attribute)]
    registry.append(item)


def exporter(key: str, title: str) -> Callable:
    def register(collect: Callable[..., list[dict]]) -> Callable:
        _replace(EXPORTERS, "key", Exporter(key, title, collect))
        return collect

    return register


def eraser(key: str) -> Callable:
    def register(erase: Callable[..., None]) -> Callable:
        _replace(ERASERS, "key", Eraser(key, erase))
        return erase

    return register


def retention_rule(name: str, months_setting: str) -> Callable:
    def register(purge: Callable[[datetime], int]) -> Callable:
        _replace(RETENTION_RULES, "name", RetentionRule(name, months_setting, purge))
        return purge

    return register


def load_providers() -> None:
    for module in PROVIDER_MODULES:
        importlib.import_module(module)
