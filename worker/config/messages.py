"""pydantic's validation errors in an operator's words: what is wrong at which line, and the fix.

pydantic speaks of "a valid dictionary or instance of When" and "input tag 'teams'
found using 'type'"; an operator needs "when: must be a mapping of clauses", "type
'teams' is not a destination type; did you mean ...". Every error type the config can
raise gets a sentence here; an unknown one keeps pydantic's own message.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from worker.config.models import DESTINATION_TYPES, Config
from worker.config.yamlsource import Located, Path_, dotted

_PLAIN: dict[str, str] = {
    "missing": "is required; add it",
    "too_short": "is empty; add at least one item",
    "string_too_short": "is empty; give it a value",
    "string_pattern_mismatch": "{input!r} is not a valid id; use lower-case letters, digits, '-', '_' "
                               "or '.', starting with a letter or digit (e.g. {suggestion!r})",
    "bool_type": "must be true or false, not {input!r}",
    "bool_parsing": "must be true or false, not {input!r}",
    "int_type": "must be a whole number, not {input!r}",
    "int_parsing": "must be a whole number, not {input!r}",
    "int_from_float": "must be a whole number, not {input!r}",
    "float_type": "must be a number, not {input!r}",
    "float_parsing": "must be a number, not {input!r}",
    "greater_than": "must be greater than {gt}, not {input!r}",
    "greater_than_equal": "must be at least {ge}, not {input!r}",
    "less_than_equal": "must be at most {le}, not {input!r}",
    "union_tag_not_found": "has no type; add type: console, slack or webhook",
    "timezone_aware": "{input} has no timezone, so nobody can tell when it is; add one, e.g. "
                      "2026-05-01T18:00:00+02:00 or 2026-05-01T16:00:00Z",
    **dict.fromkeys(("datetime_type", "datetime_parsing", "datetime_from_date_parsing"),
                    "must be a date-time with its timezone, e.g. 2026-05-01T18:00:00+02:00, not {input!r}"),
}


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when one of `choices` is close to `word`, else ''."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def explain(exc: ValidationError, located: Located) -> list[str]:
    """One `file:line: key.path: problem; fix` line per validation error."""
    problems = []
    for error in exc.errors(include_url=False):
        path = tuple(error["loc"])
        shown = tuple(p for i, p in enumerate(path) if not _is_union_tag(i, p, path))
        if error["type"] == "union_tag_invalid":
            shown += ("type",)
        owner = owner_of(shown, located.data)
        problems.append(f"{located.where(shown)}: {dotted(shown)}: {owner + ': ' if owner else ''}"
                        f"{_sentence(error, shown, path, located)}")
    return problems


_OWNERS = {"feeds": "feed", "watchlists": "watchlist", "event_types": "event type", "routes": "route",
           "destinations": "destination"}


def owner_of(path: Path_, data: Any) -> str:
    """ "route 'conflict-desk'" for a path inside that route: the error names what it is about."""
    if len(path) < 2 or path[0] not in _OWNERS or not isinstance(path[1], int):
        return ""
    try:
        item = data[path[0]][path[1]]
        if path[0] == "watchlists" and len(path) > 4 and path[2] == "entities" and isinstance(path[3], int):
            return f"entity {item['entities'][path[3]]['id']!r}"
        return f"{_OWNERS[str(path[0])]} {item['id']!r}"
    except (KeyError, IndexError, TypeError):
        return ""


def _sentence(error: ErrorDetails, shown: Path_, path: Path_, located: Located) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(path[:-1])
        hint = did_you_mean(str(path[-1]), allowed) if allowed else ""
        listed = f"; allowed here: {', '.join(allowed)}" if allowed else ""
        return f"unknown key{hint}; remove it or correct its spelling{listed}"
    if kind == "union_tag_invalid":
        tag = error.get("ctx", {}).get("tag", value)
        return (f"type {tag!r} is not a destination type{did_you_mean(str(tag), DESTINATION_TYPES)}; "
                f"use {', '.join(DESTINATION_TYPES[:-1])} or {DESTINATION_TYPES[-1]}")
    if kind == "literal_error":
        expected = _literal_choices(error)
        return (f"{value!r} is not one of {', '.join(expected)}{did_you_mean(str(value), expected)}")
    if kind in ("string_type", "model_type", "dict_type", "list_type", "model_attributes_type"):
        return _wrong_shape(kind, value, shown, _allowed_keys(path), located)
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    template = _PLAIN.get(kind)
    if template is None:
        return str(error["msg"])
    ctx = {k: f"{v:g}" if isinstance(v, float) else v for k, v in error.get("ctx", {}).items()}
    return template.format(input=value, suggestion=_slug(value), **ctx)


def _wrong_shape(kind: str, value: Any, shown: Path_, allowed: list[str], located: Located) -> str:
    if isinstance(value, bool) and kind == "string_type":
        word = located.booleans.get(shown, "yes" if value else "no")
        return (f"YAML read the unquoted word {word} as the boolean {str(value).lower()} (no, yes, on, off, "
                f"true and false all are); quote it to mean the word: {word!r}")
    if kind == "string_type":
        return f"must be text, not {_kind_of(value)}; quote it: '{value}'"
    if kind == "list_type":
        return (f"must be a list, not {_kind_of(value)}; write [a, b] or one '- item' a line")
    keys = f" ({', '.join(allowed)})" if allowed else ""
    if allowed == ["all", "any", "none"] and isinstance(value, list):
        ids = ", ".join(map(str, value))
        return f"must say how the ids combine, not be a bare list; write {{any: [{ids}]}} (or all: / none:)"
    return f"must be a mapping of keys{keys}, not {_kind_of(value)}; write 'key: value' lines under it"


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    names = {str: "text", int: "a number", float: "a number", list: "a list", dict: "a mapping"}
    return f"{names.get(type(value), type(value).__name__)} {value!r}" if not isinstance(value, list | dict) \
        else names[type(value)]


def _slug(value: Any) -> str:
    text = "".join(ch if ch.isalnum() else "-" for ch in str(value).lower()).strip("-")
    return "-".join(part for part in text.split("-") if part) or "my-id"


def _literal_choices(error: ErrorDetails) -> list[str]:
    expected = str(error.get("ctx", {}).get("expected", ""))
    return [part.strip(" '") for part in expected.replace(" or ", ", ").split(",") if part.strip(" '")]


def _is_union_tag(index: int, part: str | int, path: Path_) -> bool:
    """pydantic puts the discriminator's value into the path of a destination's errors, and of a rule's
    (a phrase or a regex: see `models.Rule`)."""
    if index > 0 and isinstance(path[index - 1], int) and part in ("phrase", "pattern"):
        return True
    return index == 2 and path[0] == "destinations" and part in DESTINATION_TYPES


_DESTINATIONS_ITEM: Any = getattr(Config.model_fields["destinations"].annotation, "__args__", (None,))[0]


def _allowed_keys(path: Path_) -> list[str]:
    """The keys of the model at `path`, to list beside an unknown or misshapen one."""
    model: Any = Config
    for index, part in enumerate(path):
        if isinstance(part, int) or _is_union_tag(index, part, path):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        field = model.model_fields.get(part)
        if field is None:
            return []
        model = _inner_model(field.annotation, path)
    return sorted(model.model_fields) if isinstance(model, type) and issubclass(model, BaseModel) else []


def _inner_model(annotation: Any, path: Path_) -> Any:
    args = getattr(annotation, "__args__", ())
    if getattr(annotation, "__origin__", None) is list and args:
        if args[0] is _DESTINATIONS_ITEM:
            return _destination_model(path)
        annotation = args[0]
    return annotation


def _destination_model(path: Path_) -> Any:
    """A destination's model is the member of the union its type names (it is in pydantic's path)."""
    members = getattr(_DESTINATIONS_ITEM.__origin__, "__args__", ())
    for member in members:
        if member.model_fields["type"].annotation.__args__[0] in path:
            return member
    return None
