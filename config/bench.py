"""What the load run compares pages with: the same bytes, prebuilt (`make bench-load`).

Mounted only when `BENCH_PREBUILT_FILE` names a file (the load run's test settings): the
view answers with that file's bytes, read once, as the cheapest page a Django view can give.
"""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse


@cache
def _prebuilt() -> bytes:
    return Path(settings.BENCH_PREBUILT_FILE).read_bytes()


def prebuilt(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_prebuilt(), content_type="text/html; charset=utf-8")
