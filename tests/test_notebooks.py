"""The notebooks in notebooks/ run from top to bottom with the README's command, draw Chinese
without a missing glyph even when matplotlib's font cache predates the CJK fonts, and are
stored without outputs; kg.viz.chart_font fails loudly where no font has Chinese."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from kg.viz import chart_font

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MISSING_GLYPH = "missing from font"


def test_the_notebooks_are_there():
    assert {p.name for p in NOTEBOOKS} == {"quickstart.ipynb", "analysis.ipynb"}


def _draws_chinese(entry: dict) -> bool:
    return bool(chart_font._draws(entry["fname"], int(entry.get("index") or 0), chart_font.SAMPLE))


@pytest.fixture(scope="module")
def stale_font_cache(tmp_path_factory) -> Path:
    """An MPLCONFIGDIR whose font cache was made before any CJK font was installed: matplotlib's
    own cache of this machine, with every font that has Chinese characters taken out."""
    config = tmp_path_factory.mktemp("mplconfig")
    subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], check=True,
                   env={**os.environ, "MPLCONFIGDIR": str(config)})
    [cache] = config.glob("fontlist-*.json")
    fonts = json.loads(cache.read_text(encoding="utf-8"))
    kept = [f for f in fonts["ttflist"] if not _draws_chinese(f)]
    assert len(kept) < len(fonts["ttflist"]), "no CJK font on this machine (apt-get install fonts-noto-cjk)"
    fonts["ttflist"] = kept
    cache.write_text(json.dumps(fonts), encoding="utf-8")
    return config


def _run(code: str, config: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "MPLCONFIGDIR": str(config), "MPLBACKEND": "Agg",
                               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))})


DRAW = ("import matplotlib.pyplot as plt\n{setup}\nfig, ax = plt.subplots()\nax.set_title('贫困发生率 县 村 镇')\n"
        "fig.savefig('/dev/null', format='png')\n")


def test_the_stale_cache_draws_boxes_and_the_chart_font_does_not(stale_font_cache):
    """The failure the notebooks guard against is real with this cache, and use_chinese_font ends it."""
    assert MISSING_GLYPH in _run(DRAW.format(setup=""), stale_font_cache).stderr
    fixed = _run(DRAW.format(setup="from kg.viz.chart_font import use_chinese_font\nprint(use_chinese_font())"),
                 stale_font_cache)
    assert MISSING_GLYPH not in fixed.stderr and fixed.stdout.strip()


def test_no_chinese_font_is_a_clear_error(monkeypatch):
    """With fontconfig away and only matplotlib's own DejaVu fonts on disk, no font draws Chinese."""
    import matplotlib
    from matplotlib import font_manager

    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    monkeypatch.setattr(chart_font.shutil, "which", lambda name: None)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [str(dejavu)])
    with pytest.raises(chart_font.NoChineseFont, match="fonts-noto-cjk"):
        chart_font.use_chinese_font()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, seeds_build, stale_font_cache, tmp_path):
    # the README's command; the kernel imports this checkout's kg, the analysis reads a fresh build
    # of the seeds, and matplotlib's font cache knows no CJK font
    env = {**os.environ, "PAKG_BUILD_DIR": str(seeds_build), "MPLCONFIGDIR": str(stale_font_cache),
           "MPLBACKEND": "module://matplotlib_inline.backend_inline",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                    "--output-dir", str(tmp_path), str(path.relative_to(ROOT))],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=600)
    nb = nbformat.read(tmp_path / path.name, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    # the charts were drawn, in a font with the characters (and, for the quickstart, the page is shown inline)
    assert any("image/png" in o.get("data", {}) for o in outputs)
    streams = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "charts in " in streams and MISSING_GLYPH not in streams, streams
    if path.stem == "quickstart":
        frames = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
        assert frames and frames[0].startswith("<iframe srcdoc=") and "&lt;script" in frames[0]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]
        assert "execution" not in cell.metadata
