"""Browser journeys: Playwright driving Debian's Chromium against a live server, with axe-core run
on every page visited and every page photographed to var/screenshots/ for a person to look at."""

import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parents[2]
AXE_SOURCE = (BASE_DIR / "node_modules" / "axe-core" / "axe.min.js").read_text()
SCREENSHOTS = BASE_DIR / "var" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session", autouse=True)
def _database_before_browser(django_db_setup):
    """Create the test database before Playwright starts its event loop in this thread."""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright():
    """Playwright's sync API runs an event loop in this thread; the tests' own ORM calls (and the
    database flush between tests) are synchronous and safe, so let Django make them. Browser tests
    run last (see tests/conftest.py), so this holds for them alone."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def demo_data(transactional_db):
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115


class Browser:
    """A page plus the checks every visit gets: no console errors (a CSP violation shows there),
    zero axe violations, and a screenshot."""

    def __init__(self, page, live_server):
        self.page = page
        self.base = live_server.url
        self.errors: list[str] = []
        page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def visit(self, path: str, name: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        self.check(name)

    def check(self, name: str) -> None:
        self.page.wait_for_load_state("networkidle")
        assert self.errors == [], f"{name}: console errors {self.errors}"
        violations = axe_violations(self.page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        assert violations == [], f"{name}: axe found\n{json.dumps(violations, indent=1)}"

    def sign_in(self, username: str, password: str, name: str) -> None:
        self.visit("/sign-in/", f"{name}-sign-in")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_label("Password").press("Enter")
        self.page.wait_for_load_state("networkidle")


def axe_violations(page) -> list[dict]:
    page.evaluate(AXE_SOURCE)
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')),
            }));
        }""",
        AXE_TAGS,
    )


@pytest.fixture
def browser_page(page, live_server):
    return Browser(page, live_server)
