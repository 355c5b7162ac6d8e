"""Making untrusted text inert in the files people open.

Spreadsheet formula injection: a cell starting with = + - @ tab or CR is run by
Excel as a formula. Prefixing an apostrophe makes it text (OWASP's advice).

XML: Word and Excel files are XML, which cannot hold most C0 control characters.
``services/text.clean_text`` drops them from what phones send; ``xml_text`` is
the last guard, so one odd character can never make a download fail.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def neutralise_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xml_text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)
