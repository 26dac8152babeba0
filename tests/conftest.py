import os
import shutil
import subprocess
from pathlib import Path

import pytest

# Tests keep their cache (followup_cli/cache) in a folder of their own, never the user's: the
# whole suite then runs with the cache on, and every second read of a workbook is a hit.
if not os.environ.get("FOLLOWUP_CACHE_DIR"):
    import tempfile

    os.environ["FOLLOWUP_CACHE_DIR"] = tempfile.mkdtemp(prefix="followup-test-cache-")


# --- soffice: LibreOffice for tests that open what we write (skips locally, fails in CI) ---


@pytest.fixture(scope="session")
def soffice(tmp_path_factory):
    """A function converting a file with LibreOffice: soffice(src, "csv:...", outdir) -> Path."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("soffice (LibreOffice) is missing and CI is set: install libreoffice-calc-nogui")
        pytest.skip("LibreOffice (soffice) is not installed")
    # A private profile: another soffice running on the machine must not get in the way.
    profile = tmp_path_factory.mktemp("soffice-profile").as_uri()

    def convert(src: Path, to: str, outdir: Path) -> Path:
        outdir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                exe,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                to,
                "--outdir",
                str(outdir),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        out = outdir / (Path(src).stem + "." + to.split(":")[0])
        assert out.exists(), f"LibreOffice wrote no {out.name}"
        return out

    return convert


@pytest.fixture()
def shape(tmp_path):
    """A golden shape's workbook (tests/fixtures/reading) copied alone into a fresh folder, no
    followup.toml around: `shape(name)` gives its paths. tests/test_reading_shapes.py has its own
    (a shape there may be several files)."""
    from tests.golden import copy_shape

    def copy(name: str) -> list[Path]:
        return copy_shape(tmp_path, name)

    return copy
