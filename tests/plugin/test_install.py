"""A site developer adds the plugin to a brand-new Wagtail site, on Wagtail 7.4 LTS and 8.0.

For each version: a fresh virtual environment, `pip install` of the wheel and that Wagtail
from the package registry, `wagtail start`, the settings and URLs pasted from the README's own
snippets (so the README cannot drift from what works), `migrate`, `check`, then content made
through the ORM under the host's own home page and fetched with Django's test client
(`host_site_script.py`): the article with its credits and related procedure, the indexes,
the profile and the preference centre answer 200 with the consent banner, and the host's home
page still renders.

Marked `install`: a few minutes per version, most of them pip. `make test` leaves it out;
`make test-install` and CI run it.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
SCRIPT = Path(__file__).with_name("host_site_script.py")

pytestmark = pytest.mark.install


def readme_snippet(name: str) -> str:
    """The Python block between `<!-- name:start -->` and `<!-- name:end -->` in the README."""
    found = re.search(
        rf"<!-- {name}:start -->\s*```python\n(.*?)```\s*<!-- {name}:end -->", README, re.S
    )
    assert found, f"README.md has no {name} snippet"
    return found.group(1)


# The host site is a project of its own: nothing of this one's environment reaches it.
HOST_ENV = {
    name: value
    for name, value in os.environ.items()
    if name not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "PYTHONPATH"}
}


def run(args: list, cwd: Path, timeout: int = 600) -> str:
    done = subprocess.run(  # noqa: S603
        [str(arg) for arg in args],
        cwd=cwd,
        env=HOST_ENV,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout + done.stderr


@pytest.fixture(scope="module", params=["7.4.*", "8.0.*"], ids=["wagtail-7.4", "wagtail-8.0"])
def host_site(request, wheel, tmp_path_factory) -> dict:
    """A `wagtail start` site with the plugin installed as the README says, and what its
    pages gave (`host_site_script.py`)."""
    work = tmp_path_factory.mktemp(f"host-{request.param[:3]}")
    venv = work / "venv"
    run([sys.executable, "-m", "venv", venv], work)
    python = venv / "bin" / "python"
    run(
        [python, "-m", "pip", "install", "--quiet", f"wagtail=={request.param}", wheel],
        work,
        timeout=900,
    )
    run([venv / "bin" / "wagtail", "start", "host"], work)
    project = work / "host"

    settings = project / "host" / "settings" / "base.py"
    settings.write_text(settings.read_text() + "\n" + readme_snippet("host-settings"))
    urls = project / "host" / "urls.py"
    catch_all = "urlpatterns = urlpatterns + ["
    source = urls.read_text()
    assert catch_all in source, "wagtail start's urls.py changed: update this test"
    urls.write_text(source.replace(catch_all, readme_snippet("host-urls") + "\n" + catch_all, 1))

    manage = [python, "manage.py"]
    run([*manage, "migrate", "--no-input"], project)
    checked = run([*manage, "check"], project)
    shell = run([*manage, "shell", "--command", SCRIPT.read_text()], project)
    (line,) = [line for line in shell.splitlines() if line.startswith("HOST-RESULT ")]
    versions = run(
        [python, "-c", "import wagtail, django; print(wagtail.__version__, django.__version__)"],
        project,
    )
    return {
        "check": checked,
        "pages": json.loads(line.removeprefix("HOST-RESULT ")),
        "wagtail": versions.split()[0],
        "installed": run([python, "-m", "pip", "list", "--format=freeze"], project),
    }


def test_the_wagtail_version_asked_for_is_the_one_installed(host_site, request):
    wanted = request.node.callspec.id.removeprefix("wagtail-")
    assert host_site["wagtail"].startswith(wanted + ".")


def test_django_check_finds_no_problem(host_site):
    assert "System check identified no issues" in host_site["check"]


def test_the_plugin_brings_no_demo_dependency(host_site):
    assert "factory-boy" not in host_site["installed"].lower()
    assert "factory_boy" not in host_site["installed"].lower()


def test_every_plugin_page_answers_200_under_the_hosts_home_page(host_site):
    statuses = {name: page["status"] for name, page in host_site["pages"].items()}
    assert statuses == {
        "home": 200,
        "article": 200,
        "article_index": 200,
        "expert": 200,
        "procedure": 200,
        "preferences": 200,
    }
    assert host_site["pages"]["article"]["url"] == "/articles/varicose-veins/"


def test_the_article_shows_its_credit_its_related_procedure_and_the_banner(host_site):
    html = host_site["pages"]["article"]["html"]
    assert "<h1>Varicose veins</h1>" in html
    assert "Written by" in html and "Dr Ada Fictional" in html
    assert "Duplex ultrasound scan" in html
    assert 'id="consent-banner"' in html
    # The theme's base template, not the host's: its stylesheet and the search form.
    assert "themes/css/site" in html


def test_the_preference_centre_renders_inside_the_theme(host_site):
    html = host_site["pages"]["preferences"]["html"]
    assert "<h1>Cookie settings</h1>" in html and "Cookies by purpose" in html
    assert "themes/css/site" in html


def test_the_hosts_own_home_page_still_renders(host_site):
    # wagtail start's welcome page, from the host's own home app and templates.
    html = host_site["pages"]["home"]["html"]
    assert "Welcome to your new Wagtail site!" in html
    assert 'id="consent-banner"' not in html
