"""Markdown, CSV and JSON downloads of a session summary."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from app.exports.safety import neutralise_cell

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def md_escape(text: str | None) -> str:
    """Markdown and HTML both inert: a pasted idea must never become a link or a tag."""
    if not text:
        return ""
    text = text.replace("&", "&amp;").replace("\n", " ")
    return _MD_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;").replace(">", "&gt;")


def to_json(summary: dict[str, Any]) -> bytes:
    return json.dumps(summary, ensure_ascii=False, indent=2).encode("utf-8")


def to_markdown(summary: dict[str, Any]) -> bytes:
    s = summary
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
            out.append(
                f"| {n} | {md_escape(idea['text'])} | {md_escape(idea['sub_element_name'])} | "
                f"{md_escape(idea['author'])} | {md_escape(idea['organization'])} | {idea['created_at']} |"
            )
    out += ["", "## Daftar hadir", "", "| Nama | Organisasi | Jenis | Bergabung |", "|---|---|---|---|"]
    out += [
        f"| {md_escape(p['name'])} | {md_escape(p['organization'])} | {p['organization_type']} | {p['joined_at']} |"
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
