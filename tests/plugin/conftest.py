"""The plugin as a site developer gets it: a wheel built from this checkout."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """The wheel `python -m build` makes of this checkout (offline: the venv's setuptools)."""
    out = tmp_path_factory.mktemp("dist")
    # setuptools builds in build/ and would ship a file left there from an older checkout.
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("*.whl")
    return built


@pytest.fixture(scope="session")
def wheel_files(wheel) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()
