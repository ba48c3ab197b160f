"""Minify the consent layer's browser script: `consent.js` (the source, commented, reviewed)
to `consent.min.js` (what pages load; under the 3 KB gzipped budget).

Run after changing consent.js (`make assets`); `--check` fails when the minified file is
stale, and the test suite runs that check. Needs rjsmin (requirements-dev.txt), a
whitespace-and-comment minifier: the output is the same code, so the tests that run the
minified script in a browser test the source's logic.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

STATIC = Path(__file__).resolve().parents[2] / "static" / "consent"
SOURCE = STATIC / "consent.js"
MINIFIED = STATIC / "consent.min.js"
BANNER = "// Built from consent.js by `manage.py build_consent_script`: edit that file.\n"


def minified() -> str:
    try:
        import rjsmin
    except ImportError as error:  # a runtime install has no dev tools
        raise CommandError("rjsmin is missing: pip install -r requirements-dev.txt") from error
    return BANNER + rjsmin.jsmin(SOURCE.read_text(encoding="utf-8")) + "\n"


class Command(BaseCommand):
    help = "Minify consent/static/consent/consent.js into consent.min.js."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Fail if consent.min.js is out of date."
        )

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        expected = minified()
        if check:
            current = MINIFIED.read_text(encoding="utf-8") if MINIFIED.exists() else ""
            if current != expected:
                raise CommandError(f"{MINIFIED.name} is out of date: run `make assets`.")
            self.stdout.write(f"{MINIFIED.name} is up to date.")
            return
        MINIFIED.write_text(expected, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {MINIFIED.name} ({len(expected)} bytes)."))
