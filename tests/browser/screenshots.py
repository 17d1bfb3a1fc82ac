"""`make screenshots`: a full-page PNG of every page each demo role reaches, at 390x844 and at 1280x900.

    python -m tests.browser.screenshots [--out screenshots] [--role learner --role trainer ...]

It builds the demo on a new SQLite database in a temporary folder (as `make run` does), serves it on a free port of
127.0.0.1, and walks it with the crawler of the browser tests (tests/browser/crawl.py: same-origin links, GET
only, a few samples of pages that differ only by id) in Debian's Chromium. The files are
<out>/<role>/<width>/<page>.png, <page> being the path with "_" for "/" ("index" for the start page); the folder
is emptied first and is not in git.
"""

from __future__ import annotations

import argparse
import logging
import re
import shutil
import sys
import tempfile
from pathlib import Path

from tests.browser.crawl import ROLES, crawl, router
from tests.browser.live import CHROMIUM, CHROMIUM_ARGS, demo_app, serving


def file_name(url: str) -> str:
    """"/cohorts/1/sessions/2?sort=naam" -> "cohorts_1_sessions_2__sort-naam"."""
    path, _, query = url.partition("?")
    name = path.strip("/").replace("/", "_") or "index"
    if query:
        name += "__" + query.replace("=", "-").replace("&", "_")
    return re.sub(r"[^A-Za-z0-9._-]", "-", name)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="screenshots", help="folder to write to (default: screenshots)")
    parser.add_argument("--role", action="append", choices=[role.name for role in ROLES],
                        help="only this role (may be given more than once; default: every role)")
    options = parser.parse_args(argv)
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        print(f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium`", file=sys.stderr)
        return 1
    out = Path(options.out).resolve()
    shutil.rmtree(out, ignore_errors=True)
    logging.disable(logging.INFO)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        app = demo_app(f"sqlite:///{folder}/screenshots.db")
        with serving(app) as base_url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            total = 0
            for role in ROLES:
                if options.role and role.name not in options.role:
                    continue

                def shoot(page, url, size, role=role):
                    target = out / role.name / str(size[0]) / f"{file_name(url)}.png"
                    target.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=target, full_page=True)

                result = crawl(browser, base_url, role, shoot, route_of=router(app))
                total += len(result.pages)
                print(f"{role.name}: {len(result.pages)} pages", flush=True)
                for page_url, link, status in result.broken:
                    print(f"  {page_url} links to {link}, which answers {status}", flush=True)
            browser.close()
    print(f"{total} pages, each at 390x844 and 1280x900: screenshots in {out}/<role>/<width>/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
