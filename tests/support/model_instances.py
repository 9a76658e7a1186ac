"""The least instance of a generated model: each required field given a value of its type."""

from __future__ import annotations

import datetime
import enum
import uuid
from typing import Any

import attrs

import bird_conversations.models
import omnichannel_messaging.models


def minimal_instance(model: type[Any]) -> Any:
    """An instance built through __init__, with a plausible value for each required attribute."""
    values: dict[str, Any] = {}
    for field in attrs.fields(model):
        if not field.init or field.default is not attrs.NOTHING:
            continue
        values[field.alias] = value_for(field.type, field.name)
    return model(**values)


def value_for(annotation: object, name: str) -> object:
    text = str(annotation)
    module = bird_conversations.models if hasattr(bird_conversations.models, text) else omnichannel_messaging.models
    if text.startswith("list["):
        return []
    if text in ("UUID", "uuid.UUID"):
        return uuid.UUID("36a7ae52-f244-4c1a-972a-f33ab8c950f4")
    if text == "datetime.datetime":
        return datetime.datetime(2025, 6, 2, 9, 26, 41, tzinfo=datetime.UTC)
    if text == "int":
        return 3
    if text == "bool":
        return True
    if text == "str":
        return f"{name}-value"
    target = getattr(module, text, None)
    if isinstance(target, type) and issubclass(target, enum.Enum):
        return next(iter(target))  # the first member of an enum
    if isinstance(target, type) and attrs.has(target):
        return minimal_instance(target)
    raise AssertionError(f"no sample value for {name}: {text}")
