"""Every command the README shows works as written, on a copy of the repository.

The README's code blocks (indented or fenced) hold three kinds of command line:

* a **synopsis** (``kg query [QUERY | -f FILE] …``: brackets or placeholders in capitals):
  every option it names must be one the command takes;
* a command a reader **runs** as it stands: it is run, in order, in a copy of the
  repository's seeds, queries and build, and must exit 0 (``kg serve`` is started, asked
  one query and stopped); where the text right after the block says it ``prints `…```, it
  must print that;
* a command run **elsewhere**, each with the reason in :data:`ELSEWHERE` (the install and
  test commands are what CI runs; Neo4j is not installable here).
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
#: the programs a README command line starts with
PROGRAMS = ("kg", "python", "python3", "jupyter", "sh", "cp", "neo4j", "cypher-shell")
#: a placeholder the reader replaces (CORPUS, OUT, GOLD_DIR, PASSWORD …)
PLACEHOLDER = re.compile(r"\b[A-Z][A-Z_]{2,}\b")
#: commands the README shows that this test does not run, and who runs them
ELSEWHERE = {
    "pip install": ".ci/run runs the install and test commands on a fresh clone",
    "jupyter nbconvert": "tests/test_notebooks.py runs the notebooks with this very command",
    "python bench/run.py": "tests/test_bench.py runs the benchmark script (on a tiny corpus: this one takes an hour)",
    "neo4j ": "Neo4j is not installable here: tests/test_exports.py checks import.sh and load.cypher",
    "sh output/neo4j/import.sh": "it needs neo4j-admin: tests/test_exports.py runs it with a stand-in",
    "cypher-shell": "Neo4j is not installable here: tests/test_exports.py checks load.cypher",
    "$NEO4J_HOME": "Neo4j is not installable here",
}


def code_lines(text: str) -> list[tuple[int, str]]:
    """(line number, text) of the lines of code blocks: fenced (shell or no language) or
    indented four spaces after a blank line."""
    out, fenced, lang, lines = [], False, "", text.splitlines()
    in_indented = False
    for i, line in enumerate(lines, 1):
        if line.startswith("```"):
            fenced, lang = not fenced, line[3:].strip()
            continue
        if fenced:
            if lang in ("", "bash", "sh", "shell", "console") and line.strip():
                out.append((i, line.strip()))
            continue
        if line.startswith("    ") and line.strip() and (in_indented or not lines[i - 2].strip()):
            in_indented = True
            out.append((i, line.strip()))
        elif line.strip():
            in_indented = False
    return out


def commands() -> list[tuple[int, str]]:
    return [(i, line) for i, line in code_lines(README) if line.split(" ", 1)[0] in PROGRAMS]


def is_synopsis(line: str) -> bool:
    command = line.split("  #", 1)[0]
    return "[" in command or bool(PLACEHOLDER.search(command.replace("$NEO4J_HOME", "")))


def elsewhere(line: str) -> str | None:
    return next((why for key, why in ELSEWHERE.items() if key in line), None)


def test_the_readme_shows_commands_of_each_kind():
    lines = commands()
    assert len(lines) > 20
    assert any(is_synopsis(c) for _, c in lines) and any(elsewhere(c) for _, c in lines)
    assert sum(not is_synopsis(c) and not elsewhere(c) for _, c in lines) >= 10


def help_text(command: str) -> str:
    done = subprocess.run([str(Path(sys.executable).parent / "kg"), command, "--help"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("number, line", [(i, c) for i, c in commands() if is_synopsis(c) and c.startswith("kg ")])
def test_each_option_a_synopsis_shows_is_one_the_command_takes(number, line):
    words = line.split("  #", 1)[0].split()
    accepted = help_text(words[1])
    for option in re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", " ".join(words[2:])):
        assert re.search(rf"(?<![\w-]){re.escape(option)}\b", accepted), f"README line {number}: {option} of {line!r}"


def sparql_block_after(number: int) -> str:
    """The ```sparql block that follows README line ``number`` (a query file it names)."""
    rest = README.splitlines()[number:]
    start = next(i for i, line in enumerate(rest) if line.startswith("```sparql"))
    end = next(i for i in range(start + 1, len(rest)) if rest[i].startswith("```"))
    return "\n".join(rest[start + 1:end]) + "\n"


def promised_output(number: int) -> str | None:
    """What the text after the code block holding README line ``number`` says it prints."""
    rest = README.splitlines()[number:]
    after = next((line for line in rest if line.strip() and not line.startswith("    ")), "")
    found = re.match(r"prints `([^`]+)`", after)
    return found.group(1) if found else None


@pytest.fixture(scope="module")
def copy(tmp_path_factory, seeds_build):
    """The parts of the repository the README's commands read, with a fresh build of the seeds."""
    folder = tmp_path_factory.mktemp("readme")
    for name in ("seeds", "queries", "notebooks", "bench"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copytree(seeds_build, folder / "output")
    return folder


def run(line: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def serve(line: str, cwd: Path) -> None:
    """Start ``kg serve …`` as written, ask it one query where it says it listens, stop it."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    server = subprocess.Popen(["bash", "-c", f"exec {line}"], cwd=cwd, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        url, seen = None, []
        deadline = time.monotonic() + 120
        while url is None and time.monotonic() < deadline:
            out = server.stdout.readline()
            if not out and server.poll() is not None:
                break
            seen.append(out)
            found = re.search(r"SPARQL endpoint (http://\S+/sparql)", out)
            url = found.group(1) if found else None
        assert url, f"{line!r} did not say where it listens: {''.join(seen)}"
        query = urllib.parse.urlencode({"query": "ASK { ?s a <https://w3id.org/pakg/ontology#Village> }"})
        with urllib.request.urlopen(f"{url}?{query}", timeout=30) as answer:
            assert b"true" in answer.read()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def test_every_command_a_reader_runs_works_as_written(copy):
    ran = []
    for number, line in commands():
        if is_synopsis(line) or elsewhere(line):
            continue
        if " --construct " in line:
            name = line.split(" --construct ", 1)[1].split()[0]
            (copy / name).write_text(sparql_block_after(number), encoding="utf-8")
        if line.startswith("kg serve"):
            serve(line, copy)
        else:
            done = run(line, copy)
            assert done.returncode == 0, f"README line {number}: {line}\n{done.stdout}\n{done.stderr}"
            promised = promised_output(number)
            if promised is not None:
                assert done.stdout.strip() == promised, f"README line {number} prints {done.stdout!r}, not {promised!r}"
        ran.append(line)
    assert any(c.startswith("kg serve") for c in ran) and any(c.startswith("kg load") for c in ran)
