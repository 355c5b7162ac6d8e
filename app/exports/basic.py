"""Markdown, CSV and JSON downloads of a session summary."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from app.domain import ORGANIZATION_TYPE_LABELS
from app.exports.safety import neutralise_cell
from app.i18n import gettext

# Only what would change the rendering inside a line (emphasis, code, links, strike,
# table cells) is backslash-escaped. Escaping every punctuation mark turned
# "Rp 1.000.000 (APBD)" into "Rp 1\.000\.000 \(APBD\)" for the readers who open the
# file as text and paste it into Word.
_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
# "&" only where it would start an HTML entity: "&lt;" typed by someone stays "&lt;".
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# A trailing run of "#" would be eaten as a heading's closing sequence.
_MD_TRAILING_HASH = re.compile(r"(#+)$")


def md_escape(text: str | None) -> str:
    """Markdown and HTML both inert: a pasted idea must never become a link or a tag."""
    if not text:
        return ""
    text = " ".join(text.split("\n"))  # one line: table cells and list items
    text = _MD_ENTITY.sub("&amp;", text)
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_TRAILING_HASH.sub(lambda m: "\\#" * len(m.group(1)), text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _type_label(code: str | None) -> str:
    """Organisation types are English msgids in the domain; the summary is Indonesian."""
    return gettext("id", ORGANIZATION_TYPE_LABELS.get(code or "", code or ""))


def _localised(summary: dict[str, Any]) -> dict[str, Any]:
    out = dict(summary)
    out["participants_by_type"] = [{**row, "label": _type_label(row["type"])} for row in summary["participants_by_type"]]
    return out


def to_json(summary: dict[str, Any]) -> bytes:
    return json.dumps(_localised(summary), ensure_ascii=False, indent=2).encode("utf-8")


def to_markdown(summary: dict[str, Any]) -> bytes:
    s = _localised(summary)
    out = [
        f"# {md_escape(s['session']['title'])}",
        "",
        f"- **Bimtek:** {md_escape(s['workshop']['title'])} ({md_escape(s['workshop']['region'])}, {s['workshop']['year']})",
        f"- **Tahap:** {md_escape(s['stage']['title'])}",
        f"- **Pertanyaan:** {md_escape(s['session']['prompt'])}",
        f"- **Fasilitator:** {md_escape(s['facilitator'])}",
        f"- **Dibuat:** {s['generated_at']}",
        f"- **Peserta:** {s['participant_count']} · **Ide:** {s['idea_count']}",
        "",
        "## Peserta menurut jenis organisasi",
        "",
        "| Jenis | Jumlah |",
        "|---|---:|",
    ]
    out += [f"| {md_escape(r['label'])} | {r['count']} |" for r in s["participants_by_type"]]
    for dim in s["dimensions"]:
        out += ["", f"## {md_escape(dim['name'])} ({len(dim['ideas'])})", ""]
        if not dim["ideas"]:
            out.append("_Belum ada ide._")
            continue
        out += ["| No | Ide | Sub-elemen | Pengusul | Organisasi | Waktu |", "|---:|---|---|---|---|---|"]
        for n, idea in enumerate(dim["ideas"], 1):
            # Hidden ideas stay in the record (the CSV and JSON flag them too), marked so
            # nobody pastes a moderated idea into the masterplan by mistake.
            hidden = " _(disembunyikan)_" if idea["hidden"] else ""
            out.append(
                f"| {n} | {md_escape(idea['text'])}{hidden} | {md_escape(idea['sub_element_name'])} | "
                f"{md_escape(idea['author'])} | {md_escape(idea['organization'])} | {idea['created_at']} |"
            )
    out += ["", "## Daftar hadir", "", "| Nama | Organisasi | Jenis | Bergabung |", "|---|---|---|---|"]
    out += [
        f"| {md_escape(p['name'])} | {md_escape(p['organization'])} | {md_escape(_type_label(p['organization_type']))} "
        f"| {p['joined_at']} |"
        for p in s["participants"]
    ]
    return ("\n".join(out) + "\n").encode("utf-8")


def to_csv(summary: dict[str, Any]) -> bytes:
    """One row per idea; UTF-8 with BOM so Excel shows Indonesian text right."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["id", "dimensi", "sub_elemen", "ide", "pengusul", "organisasi", "jenis_organisasi", "waktu", "disembunyikan"])
    for dim in summary["dimensions"]:
        for idea in dim["ideas"]:
            writer.writerow(
                [
                    neutralise_cell(v)
                    for v in (
                        idea["id"],
                        dim["name"],
                        idea["sub_element_name"] or "",
                        idea["text"],
                        idea["author"] or "",
                        idea["organization"] or "",
                        idea["organization_type"] or "",
                        idea["created_at"],
                        "ya" if idea["hidden"] else "",
                    )
                ]
            )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
