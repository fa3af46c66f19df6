"""Take the README's screenshots of the demo's home page: `make screenshots`.

A fresh server with the demo as `make run` loads it, the home page in Thai, one screen of it
at desktop width and one on a phone (at twice the pixel density, as phones render).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, DESKTOP, PHONE
from tests.browser.server import running_server

SHOTS = {"home-desktop.png": (DESKTOP, 1), "home-phone.png": (PHONE, 2)}


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp)) as server, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for name, (viewport, scale) in SHOTS.items():
            context = browser.new_context(
                base_url=server.url, locale="th-TH", viewport=viewport, device_scale_factor=scale
            )
            page = context.new_page()
            page.goto("/")
            page.screenshot(path=str(folder / name))
            context.close()
            print(folder / name)
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
