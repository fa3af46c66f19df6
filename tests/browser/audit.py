"""Checks run inside the browser: axe-core and horizontal overflow."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

# WCAG 2.2 level A and AA, and the earlier levels it includes.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
# axe-core as shipped in axe-playwright-python; a tab that audits many pages loads it as an init
# script (`context.add_init_script(AXE_SCRIPT)`) rather than once per audit.
AXE_SCRIPT = Axe().axe_script


def axe_violations(page: Page) -> list[dict]:
    """Serious and critical WCAG 2.2 AA violations on the page as it is now (axe-core 4)."""
    if page.evaluate("() => typeof axe === 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    violations = page.evaluate("options => axe.run(options)", options)["violations"]
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']}: {violation['help']}")
        lines.extend(f"    {node['html'][:160]}" for node in violation["nodes"][:5])
    return "\n".join(lines)


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when nothing scrolls)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
