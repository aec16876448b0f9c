"""China's administrative divisions, province to village, as a lookup table.

The table is jionlp's ``china_location`` (a maintained PyPI package that ships the
five-level tree with GB/T 2260 codes for the upper three levels).  We read the data
file without importing jionlp, whose import is slow and noisy, and cache the parsed
table on disk so that a build pays the parse once per jionlp version.

>>> gz = load_gazetteer()
>>> d = gz.lookup("涟源市", "county")[0]
>>> [a.name for a in gz.ancestors(d)], d.code
(['娄底市', '湖南省'], '431382')
>>> gz.is_prefecture_city("娄底市"), gz.is_prefecture_city("涟源市")
(True, False)

Data quirks handled here: province-level municipalities (北京市 …) appear again at
prefecture level under themselves, so their districts' ancestors are the municipality
once (the duplicate level is dropped); county-level cities directly under a province sit
below a pseudo-prefecture 省直辖行政区划, which is dropped too (their parent is the
province); a few township names repeat their county (济源市下冶镇) and are cut to 下冶镇.
"""
from __future__ import annotations

import gc
import importlib.metadata
import importlib.util
import os
import pickle
import tempfile
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

LEVELS = ("province", "prefecture", "county", "township", "village")
FORMAT_VERSION = 2
PSEUDO_PREFECTURES = ("省直辖行政区划", "省直辖县级行政区划", "自治区直辖县级行政区划")


@dataclass(frozen=True, slots=True)
class Division:
    id: int
    name: str
    short: str | None
    level: str
    code: str | None
    parent: int | None


class _Divisions:
    """The division list, stored as columns and materialised one :class:`Division` at a time
    (700,000 objects built up front would cost seconds at every start)."""

    def __init__(self, cols):
        self._names, self._shorts, self._levels, self._codes, self._parents = cols

    def __len__(self):
        return len(self._names)

    def __getitem__(self, i: int) -> Division:
        return Division(i, self._names[i], self._shorts[i], LEVELS[self._levels[i]], self._codes[i],
                        self._parents[i])


class Gazetteer:
    """Indexes over the division list; ids are positions in the source file's order."""

    def __init__(self, state: dict):
        self.divisions = _Divisions(state["cols"])
        self._by_name = state["by_name"]
        self._by_short = state["by_short"]
        self._children = state["children"]
        self._names = {lv: frozenset(n for n, l in self._by_name if l == lv) for lv in LEVELS}

    @staticmethod
    def index(rows: list[tuple]) -> dict:
        """The picklable state: columns plus name, short-name and child indexes."""
        names, shorts, levels, codes, parents = [], [], [], [], []
        by_name: dict = {}
        by_short: dict = {}
        children: dict = {}
        for i, (name, short, level, code, parent) in enumerate(rows):
            names.append(name)
            shorts.append(short)
            levels.append(LEVELS.index(level))
            codes.append(code)
            parents.append(parent)
            by_name.setdefault((name, level), []).append(i)
            if short:
                by_short.setdefault((short, level), []).append(i)
            if parent is not None:
                children.setdefault(parent, []).append(i)
        return {"cols": (names, shorts, bytes(levels), codes, parents),
                "by_name": {k: tuple(v) for k, v in by_name.items()},
                "by_short": {k: tuple(v) for k, v in by_short.items()},
                "children": {k: tuple(v) for k, v in children.items()}}

    def lookup(self, name: str, level: str | None = None) -> list[Division]:
        levels = (level,) if level else LEVELS
        return [self.divisions[i] for lv in levels for i in self._by_name.get((name, lv), ())]

    def lookup_short(self, short: str, level: str | None = None) -> list[Division]:
        levels = (level,) if level else LEVELS[:3]
        return [self.divisions[i] for lv in levels for i in self._by_short.get((short, lv), ())]

    def ancestors(self, d: Division) -> list[Division]:
        out = []
        while d.parent is not None:
            d = self.divisions[d.parent]
            out.append(d)
        return out

    def children(self, d: Division, level: str | None = None) -> list[Division]:
        kids = [self.divisions[i] for i in self._children.get(d.id, ())]
        return [k for k in kids if level is None or k.level == level]

    def names(self, level: str) -> frozenset[str]:
        return self._names[level]

    def is_prefecture_city(self, name: str) -> bool:
        """A ``…市`` that is prefecture-level somewhere and county-level nowhere.

        吉林市 and a few others are both; a county-level reading wins only when the name
        is not a prefecture anywhere, because a prefecture is the likelier referent in news.
        """
        return bool(self._by_name.get((name, "prefecture")))

    def is_county_level_city(self, name: str) -> bool:
        return name.endswith("市") and bool(self._by_name.get((name, "county"))) \
            and not self.is_prefecture_city(name)

    def resolve_place(self, name: str, context: Iterable[str] = ()) -> list[Division]:
        """Candidates for a place name (full or short), best match to the context first.

        A candidate scores one point per ancestor whose full or short name is among
        ``context`` (the other places of the article); ties keep gazetteer order.
        """
        cands = self.lookup(name) or self.lookup_short(name)
        ctx = set(context)
        if not ctx or len(cands) < 2:
            return cands

        def score(d: Division) -> int:
            return sum(1 for a in self.ancestors(d) if a.name in ctx or (a.short and a.short in ctx))
        return sorted(cands, key=lambda d: (-score(d), d.id))


def _data_dir() -> Path:
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the gazetteer needs the jionlp package: pip install jionlp")
    return Path(list(spec.submodule_search_locations)[0]) / "dictionary"


def _parse(lines: Iterable[str]) -> list[tuple]:
    rows: list[tuple] = []
    stack: list[int | None] = [None] * 5          # id of the current division at each depth
    for line in lines:
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip("\t"))
        fields = line.strip("\t\r\n").split("\t")
        name = fields[0].strip()
        code = fields[1].strip() if len(fields) > 1 and fields[1].strip() else None
        short = fields[2].strip() if len(fields) > 2 and fields[2].strip() else None
        parent = stack[depth - 1] if depth else None
        if depth == 1 and parent is not None and (name == rows[parent][0] or name in PSEUDO_PREFECTURES):
            stack[1] = parent                         # municipality or pseudo-prefecture: skip the level
            continue
        if depth == 3 and stack[2] is not None:
            county = rows[stack[2]][0]
            if name.startswith(county) and len(name) > len(county) + 1:
                name = name[len(county):]
        rows.append((name, short if depth < 3 else None, LEVELS[depth], code if depth < 3 else None, parent))
        stack[depth] = len(rows) - 1
        for deeper in range(depth + 1, 5):
            stack[deeper] = None
    return rows


def _cache_file() -> Path:
    base = Path(os.environ.get("PAKG_CACHE_DIR") or Path.home() / ".cache" / "pakg")
    version = importlib.metadata.version("jionlp")
    return base / f"gazetteer-jionlp{version}-v{FORMAT_VERSION}.pickle"


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    cache = _cache_file()
    gc.disable()               # unpickling a million small objects; the collector only slows it
    try:
        state = pickle.loads(cache.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError):
        with zipfile.ZipFile(_data_dir() / "china_location.zip") as zf:
            member = next(n for n in zf.namelist() if n.endswith(".txt"))
            state = Gazetteer.index(_parse(zf.read(member).decode("utf-8").splitlines()))
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=".gazetteer.")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cache)
        except OSError:
            pass                                      # a read-only home just means no disk cache
    finally:
        gc.enable()
    return Gazetteer(state)
