"""Keep the event reference in docs/architecture.md equal to the registry (``make events-doc``).

    python scripts/events_doc.py           # rewrite the reference in docs/architecture.md
    python scripts/events_doc.py --check   # exit 1 if it is stale (CI, tests)
    python scripts/events_doc.py --print   # just print it

The reference sits between ``<!-- event-types:start -->`` and
``<!-- event-types:end -->`` and comes from ``app.services.event_types``: every
declared type, who records it, what its stored payload holds, whether it only
changes counts, and which live screens it updates; then every payload shape.
"""

from __future__ import annotations

import argparse
import sys
import types
import typing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pydantic import BaseModel  # noqa: E402

from app.services.event_types import TYPES, Fragment, Shape  # noqa: E402

START = "<!-- event-types:start -->"
END = "<!-- event-types:end -->"
DOC = ROOT / "docs" / "architecture.md"


def type_name(annotation) -> str:
    """``int | None`` → ``int?``, ``list[Idea]`` → ``[Idea]``, ``dict[str, int]`` → ``{str: int}``."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (types.UnionType, typing.Union):
        rest = [a for a in args if a is not type(None)]
        return " \\| ".join(type_name(a) for a in rest) + ("?" if len(rest) < len(args) else "")
    if origin is list:
        return f"[{type_name(args[0])}]"
    if origin is dict:
        return f"{{{type_name(args[0])}: {type_name(args[1])}}}"
    if origin is typing.Literal:
        return " \\| ".join(repr(a).replace("'", '"') for a in args)
    return getattr(annotation, "__name__", str(annotation))


def fields(model: type[BaseModel]) -> str:
    return ", ".join(f"{name}: {type_name(field.annotation)}" for name, field in model.model_fields.items())


def shapes() -> list[type[Shape]]:
    """Every payload shape reachable from the declared types, in first-use order."""
    seen: list[type[Shape]] = []

    def visit(model: type[Shape]) -> None:
        for field in model.model_fields.values():
            for inner in _models_in(field.annotation):
                if inner not in seen:
                    seen.append(inner)
                    visit(inner)

    for kind in TYPES:
        visit(kind.payload)
    return seen


def _models_in(annotation) -> list[type[Shape]]:
    if isinstance(annotation, type) and issubclass(annotation, Shape):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def rendering(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, Fragment):
        return f"fragment `{value.template}` → `#{value.target}`"
    return f"`{value}`"


def reference() -> str:
    rows = [
        "| type | recorded by | what happened | payload (stored) | counts only | board · console · phone |",
        "|---|---|---|---|---|---|",
    ]
    for kind in TYPES:
        live = " · ".join(rendering(getattr(kind.live, screen)) for screen in ("board", "console", "phone"))
        rows.append(
            f"| `{kind.name}` | `{kind.recorded_by}` | {kind.doc} | {{{fields(kind.payload)}}} | "
            f"{'yes' if kind.counts_only else 'no'} | {live} |"
        )
    rows += ["", "| shape | fields |", "|---|---|"]
    rows += [f"| `{model.__name__}` | {{{fields(model)}}} |" for model in shapes()]
    return "\n".join(rows)


def render(text: str) -> str:
    head, start, rest = text.partition(START)
    _old, end, tail = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"{DOC.name} lacks the markers {START} … {END}")
    return f"{head}{START}\n{reference()}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the reference is out of date")
    parser.add_argument("--print", dest="print_only", action="store_true", help="print the reference and exit")
    args = parser.parse_args(argv)
    if args.print_only:
        print(reference())
        return 0
    current = DOC.read_text(encoding="utf-8")
    wanted = render(current)
    if args.check:
        if current != wanted:
            print(f"{DOC.name}: the event reference is out of date; run `make events-doc`.", file=sys.stderr)
            return 1
        print(f"{DOC.name}: the event reference is current.")
        return 0
    if current != wanted:
        DOC.write_text(wanted, encoding="utf-8")
        print(f"{DOC.name}: event reference updated.")
    else:
        print(f"{DOC.name}: event reference already current.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
