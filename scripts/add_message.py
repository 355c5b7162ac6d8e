"""Add one message to both catalogues: ``python scripts/add_message.py "English msgid" "Teks Indonesia"``.

Appends the msgid to ``app/locale/id`` (with the Indonesian text) and ``app/locale/en``
(empty msgstr: English falls back to the msgid). An msgid already present is left
alone. A file lock makes concurrent runs (several people or tools at once) safe.
"""

from __future__ import annotations

import fcntl
import sys
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "app" / "locale"


def po_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def add(msgid: str, indonesian: str) -> bool:
    with (LOCALE_DIR / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        added = False
        for locale, text in (("id", indonesian), ("en", "")):
            path = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
            with path.open("rb") as fp:
                if msgid in read_po(fp, locale=locale):
                    continue
            with path.open("a", encoding="utf-8") as fp:
                fp.write(f"\nmsgid {po_quote(msgid)}\nmsgstr {po_quote(text)}\n")
            added = True
        return added


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print("added" if add(sys.argv[1], sys.argv[2]) else "already there")
