"""The README's screenshots of running the room, taken from a real server and Chromium.

Starts ``rembuk serve`` on a throw-away SQLite database with the demo workshop and a
brainstorm of 84 ideas, then saves into docs/screenshots/:

- ``board-1920.png`` and ``board-1024.png``: the brainstorm on a 1920×1080 and a
  1024×768 projector (the timer running; the join panel, then its corner chip);
- ``board-cloud.png``: the word cloud (1280×720);
- ``board-focus.png``: the projector focused on one group of the Tahap II results;
- ``phone-timer.png``: a phone in the timer's last minute, with the focus banner;
- ``remote.png``: the presenter remote on a 360 px phone.

    .venv/bin/python scripts/screenshots.py

Needs the test extras (Playwright) and /usr/bin/chromium (Debian's ``chromium``).
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
EMAIL, PASSWORD = "dewi@kominfo.go.id", "rahasia-fasilitator-123"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IDEAS = {
    "governance": [
        "Tanda tangan elektronik untuk surat dinas antar-OPD",
        "Dashboard pengaduan masyarakat yang terbuka",
        "Satu data kependudukan untuk semua OPD",
        "Perizinan daring terhubung dengan OSS",
        "Rapat koordinasi OPD tanpa kertas",
    ],
    "branding": [
        "Festival kuliner Piaman dipromosikan lewat satu kanal digital",
        "Satu peta data potensi wisata nagari",
        "Tur virtual Pantai Gandoriah",
        "Kalender acara budaya Tabuik yang bisa dibagikan",
    ],
    "economy": [
        "QRIS di pasar nagari dan objek wisata",
        "Pelatihan UMKM jualan daring bersama Relawan TIK",
        "Data bantuan sosial terpadu per nagari",
        "Katalog produk unggulan nagari",
    ],
    "living": [
        "Aplikasi antrean online di RSUD terhubung Mobile JKN",
        "Layanan ambulans desa dengan satu nomor",
        "Angkutan pelajar terjadwal dengan info posisi",
        "Posyandu digital dengan jadwal imunisasi",
    ],
    "society": [
        "Kelas literasi digital untuk ibu-ibu PKK",
        "Ruang belajar coding untuk pelajar SMA",
        "Peringatan dini bencana lewat pengeras suara masjid",
        "Pos ronda terhubung CCTV nagari",
    ],
    "environment": [
        "Bank sampah dengan aplikasi tabungan",
        "Sensor kualitas air sungai untuk peringatan dini",
        "Lampu jalan tenaga surya di jalur evakuasi tsunami",
        "Rute truk sampah yang bisa dipantau warga",
    ],
    None: ["Siapa pengelola data di tiap OPD?", "Perlu dibahas dengan Bappeda dulu"],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    from playwright.sync_api import sync_playwright

    bin_dir = Path(sys.executable).parent
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("REMBUK_")},
            "REMBUK_VAR_DIR": tmp,
            "REMBUK_PUBLIC_URL": "http://192.168.1.10:8000",
            "REMBUK_HTMX_SOURCE": "local",
        }
        run = {"env": env, "cwd": ROOT, "check": True, "capture_output": True}
        subprocess.run([bin_dir / "rembuk", "migrate"], **run)
        subprocess.run([bin_dir / "rembuk", "demo", "--email", EMAIL, "--password", PASSWORD], **run)
        server = subprocess.Popen(
            [bin_dir / "rembuk", "serve", "--port", str(port), "--log-level", "warning"], env=env, cwd=ROOT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    if httpx.get(f"{base}/readyz").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            with httpx.Client(base_url=base, timeout=30) as client, sync_playwright() as playwright:
                shoot(client, base, playwright)
        finally:
            server.terminate()
            server.wait(10)


def shoot(client: httpx.Client, base: str, playwright) -> None:
    token = client.post("/api/v1/auth/token", data={"username": EMAIL, "password": PASSWORD}).json()["access_token"]
    me = {"Authorization": f"Bearer {token}"}
    workshop = next(w for w in client.get("/api/v1/workshops", headers=me).json() if "Padang" in w["title"])
    stages = [client.get(f"/api/v1/stages/{s['id']}/sessions", headers=me).json() for s in workshop["stages"]]
    session = client.post(
        f"/api/v1/stages/{workshop['stages'][1]['id']}/sessions",
        headers=me,
        json={
            "title": "Ide program per dimensi",
            "prompt": "Program apa yang paling dirasakan warga dalam satu tahun?",
        },
    ).json()
    sid = session["id"]
    client.post(f"/api/v1/sessions/{sid}/phase", json={"phase": "brainstorm"}, headers=me)
    phones = [
        client.post(
            "/api/v1/join",
            json={
                "join_code": session["join_code"],
                "name": f"Peserta {i}",
                "organization_type": "opd",
                "organization": "Diskominfo",
            },
        ).json()
        for i in range(23)
    ]
    rng = random.Random(3)
    sent = 0
    for round_ in range(4):
        for dimension, texts in IDEAS.items():
            for text in texts:
                if round_ and rng.random() < 0.35:
                    continue
                suffix = "" if not round_ else rng.choice([" di tiap nagari", " untuk warga pesisir", " tahun ini"])
                phone = phones[sent % len(phones)]
                client.post(
                    f"/api/v1/sessions/{sid}/ideas",
                    headers={"Authorization": f"Bearer {phone['token']}"},
                    json={"text": text + suffix, "dimension": dimension},
                )
                sent += 1
    client.put(f"/api/v1/sessions/{sid}/timer", json={"action": "start", "seconds": 420}, headers=me)
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    laptop = browser.new_context()
    page = laptop.new_page()
    page.goto(f"{base}/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/console")

    def board(name: str, path: str, width: int, height: int) -> None:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{base}{path}")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(OUT / name))

    board("board-1920.png", f"/board/{sid}", 1920, 1080)
    client.patch(f"/api/v1/sessions/{sid}", json={"show_join_panel": False}, headers=me)
    board("board-1024.png", f"/board/{sid}", 1024, 768)
    client.patch(f"/api/v1/sessions/{sid}", json={"board_view": "cloud"}, headers=me)
    board("board-cloud.png", f"/board/{sid}", 1280, 720)
    client.patch(f"/api/v1/sessions/{sid}", json={"board_view": "columns"}, headers=me)
    tahap_two = stages[1][0]["id"]
    top = client.get(f"/api/v1/sessions/{tahap_two}/board", headers=me).json()["groups"]
    group = max(top, key=lambda g: (g["votes"] or 0, len(g["ideas"])))
    client.put(f"/api/v1/sessions/{tahap_two}/focus", json={"group_id": group["id"]}, headers=me)
    board("board-focus.png", f"/board/{tahap_two}", 1280, 720)
    client.put(f"/api/v1/sessions/{tahap_two}/focus", json={}, headers=me)

    idea = client.get(f"/api/v1/sessions/{sid}/board", headers=me).json()["groups"][2]["ideas"][0]
    client.put(f"/api/v1/sessions/{sid}/focus", json={"idea_id": idea["id"]}, headers=me)
    client.put(f"/api/v1/sessions/{sid}/timer", json={"action": "start", "seconds": 52}, headers=me)
    phone = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    phone.request.post(
        f"{base}/join",
        form={
            "join_code": session["join_code"],
            "name": "Rina Marlina",
            "organization_type": "opd",
            "organization": "Diskominfo",
        },
    )
    screen = phone.new_page()
    screen.goto(f"{base}/s/{sid}")
    screen.wait_for_timeout(1500)
    screen.screenshot(path=str(OUT / "phone-timer.png"))
    remote = browser.new_context(
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        storage_state=laptop.storage_state(),
    )
    pocket = remote.new_page()
    pocket.goto(f"{base}/console/sessions/{sid}/remote")
    pocket.wait_for_timeout(1200)
    pocket.locator("#remote").scroll_into_view_if_needed()
    pocket.screenshot(path=str(OUT / "remote.png"))
    browser.close()
    print("saved", ", ".join(p.name for p in sorted(OUT.glob("*.png"))))


if __name__ == "__main__":
    main()
