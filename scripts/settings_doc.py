"""Keep README's configuration table equal to the code (``make settings-doc``).

    python scripts/settings_doc.py           # rewrite the table in README.md
    python scripts/settings_doc.py --check   # exit 1 if README.md is stale (CI, tests)
    python scripts/settings_doc.py --print   # just print the table

The table sits between ``<!-- settings-table:start -->`` and
``<!-- settings-table:end -->`` and comes from ``app.settings.settings_table()``,
which reads each setting's default and one-line help (Datasette's habit: docs that
can drift are generated from the code and checked). ``.env.example`` is written from
the same fields.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.settings import env_example, settings_table  # noqa: E402

START = "<!-- settings-table:start -->"
END = "<!-- settings-table:end -->"


def render(readme: str) -> str:
    """README text with the table between the markers replaced by the current one."""
    head, start, rest = readme.partition(START)
    _old, end, tail = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"README lacks the markers {START} … {END}")
    return f"{head}{START}\n{settings_table()}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the README table is out of date")
    parser.add_argument("--print", dest="print_only", action="store_true", help="print the table and exit")
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md")
    parser.add_argument("--env-example", type=Path, default=ROOT / ".env.example")
    args = parser.parse_args(argv)

    if args.print_only:
        print(settings_table())
        return 0
    current = args.readme.read_text(encoding="utf-8")
    wanted = render(current)
    env_current = args.env_example.read_text(encoding="utf-8") if args.env_example.exists() else ""
    env_wanted = env_example()
    if args.check:
        stale = [
            path.name
            for path, ok in ((args.readme, current == wanted), (args.env_example, env_current == env_wanted))
            if not ok
        ]
        if stale:
            print(
                f"{', '.join(stale)}: the configuration list is out of date; run `make settings-doc`.", file=sys.stderr
            )
            return 1
        print(f"{args.readme.name} and {args.env_example.name}: configuration is current.")
        return 0
    for path, old, new in ((args.readme, current, wanted), (args.env_example, env_current, env_wanted)):
        if old != new:
            path.write_text(new, encoding="utf-8")
            print(f"{path.name}: configuration updated.")
        else:
            print(f"{path.name}: configuration already current.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
