"""The layers of docs/architecture.md hold: import-linter's contracts, and no import cycles."""
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_are_kept():
    """``lint-imports`` (import-linter) checks .importlinter: the stage order, and that no
    stage imports the speed wrapper (kg.speed), the pipeline or the CLI."""
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert lint, "import-linter is in the test extra"
    done = subprocess.run([lint, "--config", str(ROOT / ".importlinter")], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout


def test_the_contracts_fail_when_a_stage_imports_the_wrapper(tmp_path):
    """The contract is no formality: a copy of the package whose RDF stage imports the
    speed wrapper is refused."""
    shutil.copytree(ROOT / "kg", tmp_path / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    with open(tmp_path / "kg" / "rdf.py", "a", encoding="utf-8") as fh:
        fh.write("\nfrom .speed import incremental  # noqa\n")
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    done = subprocess.run([lint, "--config", str(ROOT / ".importlinter")], cwd=tmp_path, capture_output=True,
                          text=True, env={"PYTHONPATH": str(tmp_path), "PATH": str(Path(sys.executable).parent)})
    assert done.returncode != 0 and "kg.rdf is not allowed to import kg.speed" in done.stdout


def test_no_import_cycles():
    import grimp

    graph = grimp.build_graph("kg")
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            assert not graph.chain_exists(importer=imported, imported=module), f"{module} <-> {imported}"
