"""China's administrative divisions, province to village, as an in-memory lookup table.

The table is jionlp's ``china_location`` (a maintained PyPI package shipping the
five-level tree with GB/T 2260 codes for the upper three levels, ~700,000 divisions).
The data file is read straight out of the installed package: importing jionlp costs
seconds and prints a banner, and all we need is one zip member.  Parsing it costs
about as much, so the parsed table is also cached on disk; see :func:`load_gazetteer`.

>>> gz = load_gazetteer()
>>> lianyuan = gz.lookup("涟源市", "county")[0]
>>> lianyuan.code, [a.name for a in gz.ancestors(lianyuan)]
('431382', ['娄底市', '湖南省'])
>>> gz.is_prefecture_city("娄底市"), gz.is_county_level_city("涟源市")
(True, True)
>>> [d.name for d in gz.lookup_short("涟源")]
['涟源市']
>>> best = gz.resolve_place("胡家坪村", context=["伏口镇", "涟源市"])[0]
>>> gz.path_names(best)
('湖南省', '娄底市', '涟源市', '伏口镇', '胡家坪村')
>>> [a.name for a in gz.ancestors(gz.lookup("嘉定区")[0])]     # a municipality has no separate prefecture
['上海市']
>>> gz.prefecture_of(gz.lookup("嘉定区")[0]).name               # … but it stands in for one
'上海市'
>>> [d.name for d in gz.renamed_to("邵东县")]
['邵东市']

How the source's quirks are normalised (each is a choice the rest of pakg relies on):

* **Municipalities** (北京市 上海市 天津市 重庆市) appear at province level and again,
  same name and code, at prefecture level.  The duplicate is dropped: a district's parent
  is the province-level municipality and it has no prefecture ancestor.  Keeping both would
  make every district look two steps away from one place and give the knowledge graph two
  entities (a Province and a Prefecture) for 上海市.  Code that wants "the prefecture" of a
  place should call :meth:`Gazetteer.prefecture_of`, which answers the municipality.
  香港 and 澳门 get the same treatment (their level-1 node is the short name again).
* **Placeholder nodes** ``省直辖行政区划`` (level 1: 仙桃市, 济源市, 海南's counties, 新疆's
  兵团 cities, 台湾's counties), ``市直辖行政区划`` (level 2 under 东莞市, 中山市, 儋州市,
  嘉峪关市, the cities without counties) and ``县直辖行政区划``/``区直辖行政区划`` (level 3)
  are not places.  They are dropped and their children attach to the grandparent, keeping
  their own level: 仙桃市 is a county directly under 湖北省, 东莞市's towns are townships
  directly under the prefecture.
* **Codes** that merely repeat an ancestor's code (香港's districts all carry 810000) are
  not the division's own, so they become None, as do blank codes (台湾's districts).
  台湾's 7107xx codes are jionlp's own invention and are kept as given.
* **Township names prefixed with their county** (化德县七号镇, 济源市下冶镇) lose the prefix when a
  proper name remains (at least three characters: 七号镇, but not 盈江县农场 → 农场).
* **Typos and stray whitespace** in the source (苗粟县, 奎青区, a full-width space) are
  corrected.  Every name changed by this or the previous rule stays findable by
  :meth:`Gazetteer.lookup` under the source's spelling.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import io
import marshal
import os
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from .cache import cache_dir
from .memory import collector_paused

__all__ = ["LEVELS", "FORMAT_VERSION", "Division", "Gazetteer", "Rename", "load_gazetteer"]

LEVELS = ("province", "prefecture", "county", "township", "village")
_LEVEL_INDEX = {lv: i for i, lv in enumerate(LEVELS)}

#: Bumped whenever the parse or the cached layout changes; part of the disk cache's key.
FORMAT_VERSION = 4

_DATA_MEMBER = "china_location.txt"
_CHANGE_FILE = "china_location_change.txt"
# Misspellings in jionlp's files (the table, then the change list), corrected on reading.
_TYPOS = {"苗粟县": "苗栗县", "苗粟": "苗栗", "奎青区": "葵青区", "奎青": "葵青",
          "云岗区": "云冈区", "大菁山县": "大箐山县"}
_MIN_CUT_REMAINDER = 3


@dataclass(frozen=True, slots=True)
class Division:
    """One administrative division.  Plain data, so it hashes, compares and pickles by value:
    two loads of the same table give equal divisions even though they are separate objects."""

    id: int                  # index into Gazetteer.divisions
    name: str                # official full name: 湖南省, 娄底市, 涟源市, 伏口镇, 胡家坪村
    short: str | None        # the table's short name (湖南, 娄底, 涟源) for levels 0-2, else None
    level: str               # one of LEVELS
    code: str | None         # GB/T 2260 code for levels 0-2 (e.g. "431382"), else None
    parent: int | None       # id of the parent Division


@dataclass(frozen=True, slots=True)
class Rename:
    """One line of jionlp's change list: the division at ``old`` (full names from the province
    down) became the one at ``new``.  Kept as paths because old names such as 城区 or 郊区 are
    ambiguous on their own."""

    date: str
    approval: str            # 国批 (State Council) or 民批 (Ministry of Civil Affairs)
    old: tuple[str, ...]
    old_short: str           # the short name of the last element of ``old``
    new: tuple[str, ...]


class _DivisionList(Sequence):
    """The division table as a sequence of :class:`Division`, built on access.

    The table is stored as columns (a list of names, a byte per level, packed parent ids,
    and small dicts for the ~3,500 codes and short names).  Building 700,000 frozen
    dataclasses up front would cost over a second and ~60 MB at every start, while
    a run touches a few thousand of them.  Divisions compare by value, so building one
    twice is harmless.
    """

    __slots__ = ("_names", "_levels", "_parents", "_shorts", "_codes")

    def __init__(self, names, levels, parents, shorts, codes):
        self._names, self._levels, self._parents, self._shorts, self._codes = names, levels, parents, shorts, codes

    def __len__(self) -> int:
        return len(self._names)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self._names)
            if i < 0:
                raise IndexError("division index out of range")
        p = self._parents[i]
        return Division(i, self._names[i], self._shorts.get(i), LEVELS[self._levels[i]], self._codes.get(i),
                        None if p < 0 else p)

    def __iter__(self) -> Iterator[Division]:
        return map(self.__getitem__, range(len(self._names)))

    def __repr__(self) -> str:
        return f"<{len(self)} divisions>"


class Gazetteer:
    """Name, short-name, code and child indexes over the division table.

    Ids are positions in the source file's order after the normalisation described in the
    module docstring, so they are stable for a given jionlp version and FORMAT_VERSION and
    can be stored alongside results.  Indexes map a name to a tuple of ids in increasing
    order; a name's homonyms (胡家坪村 exists in 14 places) are told apart by
    :meth:`resolve_place`, not here.
    """

    def __init__(self, state: tuple):
        (self._version, names, levels, parents, shorts, codes, by_name, by_short, children,
         aliases, renames) = state
        self._state = state
        self.divisions = _DivisionList(names, levels, memoryview(parents).cast("i"), shorts, codes)
        self._levels = levels
        self._by_name: list[dict[str, tuple[int, ...]]] = by_name      # one dict per level
        self._by_short: list[dict[str, tuple[int, ...]]] = by_short    # levels 0-2
        self._children: dict[int, tuple[int, ...]] = children
        self._aliases: dict[str, tuple[int, ...]] = aliases
        self._renames = tuple(Rename(*r) for r in renames)
        self._names_cache: dict[str, frozenset[str]] = {}
        self._by_code: dict[str, tuple[int, ...]] | None = None
        self._rename_index: dict[str, tuple[int, ...]] | None = None
        # a division's parent and the parent's ancestors, by the parent's id: resolution asks
        # for the ancestors of the same few thousand places over and over
        self._ancestors: dict[int, tuple[Division, ...]] = {}
        self._named: dict[str, frozenset[int]] = {}
        provinces = [i for ids in by_name[0].values() for i in ids]
        self._municipal = frozenset(p for p in provinces
                                    if not any(levels[k] == 1 for k in children.get(p, ())))

    def __eq__(self, other) -> bool:
        return isinstance(other, Gazetteer) and self._state == other._state

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Gazetteer of {len(self.divisions)} divisions>"

    # -- lookups ------------------------------------------------------------------------
    def lookup(self, name: str, level: str | None = None) -> list[Division]:
        """Divisions with this full name (or the source's misspelling of it), sorted by id."""
        if level is None:
            return self._divs(self._lookup_ids(name))
        ids = [i for lv in self._levels_of(level, 5) for i in self._by_name[lv].get(name, ())]
        ids += [i for i in self._aliases.get(name, ()) if LEVELS[self._levels[i]] == level]
        return self._divs(ids)

    def _lookup_ids(self, name: str) -> list[int]:
        """The ids :meth:`lookup` answers for a name at any level, sorted."""
        ids = [i for index in self._by_name for i in index.get(name, ())]
        return sorted(set(ids + list(self._aliases.get(name, ()))))

    def _named_by(self, name: str) -> frozenset[int]:
        """The divisions whose full, short or former name this is (what a context name
        tells :meth:`resolve_place`); kept, as articles name the same places over and over."""
        found = self._named.get(name)
        if found is None:
            found = self._named[name] = frozenset(
                [i for index in (*self._by_name, *self._by_short) for i in index.get(name, ())]
                + list(self._renamed_ids(name)))
        return found

    def _short_ids(self, short: str) -> list[int]:
        """The ids :meth:`lookup_short` answers for a short name at any level, sorted."""
        return sorted({i for index in self._by_short for i in index.get(short, ())})

    def lookup_short(self, short: str, level: str | None = None) -> list[Division]:
        """Divisions of levels 0-2 with this short name (湖南, 娄底, 涟源), sorted by id.

        Short names collide more than full names (长沙 is a city and a county under it, 新竹
        a city and a county; ~60 development zones are all 高新区 or 经开区), hence a separate
        index: a caller decides when a short form is enough.  Where the source itself avoids
        a clash it gives the full name as the short one (吉林市, 大理市), and so do we.
        """
        if level is not None and _level_index(level) > 2:
            return []
        return self._divs([i for lv in self._levels_of(level, 3) for i in self._by_short[lv].get(short, ())])

    def by_code(self, code: str) -> list[Division]:
        """Divisions with this GB/T 2260 code.  A list because the source repeats one code
        (410471, two development zones of 平顶山市)."""
        if self._by_code is None:
            idx: dict[str, list[int]] = {}
            for i, c in sorted(self.divisions._codes.items()):
                idx.setdefault(c, []).append(i)
            self._by_code = {c: tuple(ids) for c, ids in idx.items()}
        return self._divs(self._by_code.get(code, ()))

    def names(self, level: str) -> frozenset[str]:
        """All full names at a level, with the other spellings :meth:`lookup` accepts (built
        on first use: the village set alone is ~20 MB)."""
        lv = _level_index(level)
        if level not in self._names_cache:
            other = (a for a, ids in self._aliases.items() if any(self._levels[i] == lv for i in ids))
            self._names_cache[level] = frozenset(self._by_name[lv]).union(other)
        return self._names_cache[level]

    # -- the tree -------------------------------------------------------------------------
    def ancestors(self, d: Division) -> list[Division]:
        """Parent first, up to the province."""
        if d.parent is None:
            return []
        found = self._ancestors.get(d.parent)
        if found is None:
            found = self._ancestors[d.parent] = (self.divisions[d.parent], *self.ancestors(self.divisions[d.parent]))
        return list(found)

    def path(self, d: Division) -> list[Division]:
        """The division and its ancestors, province first."""
        return [*reversed(self.ancestors(d)), d]

    def path_names(self, d: Division) -> tuple[str, ...]:
        """Full names from the province down, e.g. ('湖南省', '娄底市', '涟源市')."""
        return tuple(x.name for x in self.path(d))

    def children(self, d: Division, level: str | None = None) -> list[Division]:
        """Direct children, optionally of one level (a province's children can be prefectures
        and, for 省直辖 counties, counties)."""
        kids = self._divs(self._children.get(d.id, ()))
        return kids if level is None else [k for k in kids if k.level == level]

    def child_names(self, d: Division, level: str | None = None) -> list[str]:
        """The names of :meth:`children`, in the same order, without building a Division
        for each (a county has hundreds of villages, and the extractor wants their names
        for every article).

        >>> gz = load_gazetteer()
        >>> county = gz.lookup("涟源市", "county")[0]
        >>> gz.child_names(county) == [c.name for c in gz.children(county)]
        True
        """
        names, levels = self.divisions._names, self._levels
        lv = None if level is None else _level_index(level)
        return [names[i] for i in sorted(set(self._children.get(d.id, ()))) if lv is None or levels[i] == lv]

    def ancestor_at(self, d: Division, level: str) -> Division | None:
        """The division itself or its ancestor at ``level``; None where the tree skips that
        level (a municipality's district has no prefecture, 东莞市's towns no county)."""
        _level_index(level)
        return next((x for x in [d, *self.ancestors(d)] if x.level == level), None)

    def prefecture_of(self, d: Division) -> Division | None:
        """The prefecture a division belongs to, where a municipality (or 香港/澳门) counts as
        its own prefecture.  None for a province and for divisions directly administered by
        a province (仙桃市, 济源市), which have no prefecture."""
        found = self.ancestor_at(d, "prefecture")
        if found is None and d.level != "province":
            top = self.path(d)[0]
            if self.is_municipality(top):
                return top
        return found

    def is_municipality(self, d: Division) -> bool:
        """A province-level division whose districts and counties sit directly under it
        (北京 上海 天津 重庆, and 香港 澳门, whose districts are stored the same way)."""
        return d.level == "province" and d.id in self._municipal

    # -- kinds of city --------------------------------------------------------------------
    def is_prefecture_city(self, name: str) -> bool:
        """A ``…市`` at prefecture level (娄底市).

        Rule for a name that is both prefecture- and county-level in different places: the
        prefecture wins, as the likelier referent in news (jionlp 1.5.31 has no such name, but
        a data update could bring one).  Municipalities (上海市) are province-level, not
        prefecture cities.
        """
        return name.endswith("市") and name in self._by_name[1]

    def is_county_level_city(self, name: str) -> bool:
        """A ``…市`` at county level (涟源市, 仙桃市) that is not also a prefecture city."""
        return name.endswith("市") and name in self._by_name[2] and not self.is_prefecture_city(name)

    # -- renames ---------------------------------------------------------------------------
    @property
    def renames(self) -> tuple[Rename, ...]:
        """jionlp's change list, in its order (mostly by date)."""
        return self._renames

    def renamed_to(self, old_name: str) -> list[Division]:
        """The current divisions that a former name (full or short) became, sorted by id.

        邵东县 → [邵东市]; 襄樊市 → [襄阳市]; 城区 → the successors of both 大同's and 长治's
        城区 (old names are ambiguous; use :meth:`resolve_place` context to choose).
        Poverty-alleviation news of 2015-2020 uses many names renamed since.  A rename whose
        target cannot be found in the table is skipped (none in jionlp 1.5.31, once the
        change list's typos 云岗区 and 大菁山县 are corrected).
        """
        return self._divs(self._renamed_ids(old_name))

    def _renamed_ids(self, old_name: str) -> tuple[int, ...]:
        if self._rename_index is None:
            idx: dict[str, set[int]] = {}
            for r in self._renames:
                target = self._find_path(r.new)
                if target is None:
                    continue
                for key in {r.old[-1], r.old_short}:
                    idx.setdefault(key, set()).add(target)
            self._rename_index = {k: tuple(sorted(v)) for k, v in idx.items()}
        return self._rename_index.get(old_name, ())

    def _find_path(self, names: tuple[str, ...]) -> int | None:
        """The id at a path of full names.  Tolerates the levels this module drops (the change
        list spells out 省直辖行政区划 and municipalities twice) and, for the last name, a
        different suffix or an ethnic qualifier: the change list says 金秀县 for 金秀瑶族自治县,
        and where it is newer than the table (湟中县 → 湟中区) we answer the table's 湟中县."""
        cands = self._by_name[0].get(names[0], ())
        if not cands:
            return None
        cur = cands[0]
        for depth, name in enumerate(names[1:], 2):
            kids = self._children.get(cur, ())
            found = [k for k in kids if self.divisions._names[k] == name]
            if not found and depth == len(names):
                stem = name[:-1] if len(name) > 2 and name[-1] in "县区市旗" else name
                found = [k for k in kids if self.divisions._shorts.get(k) == stem]
            if found:
                cur = found[0]
            elif not (name == self.divisions._names[cur] or _is_placeholder(name)):
                return None
        return cur

    # -- disambiguation ----------------------------------------------------------------------
    def resolve_place(self, name: str, context: Iterable[str] = (), level: str | None = None) -> list[Division]:
        """Candidates for a place name (full or short), ranked by how well their ancestors
        match the context names (other places mentioned in the same article), best first.

        Candidates are the full-name matches, else the short-name matches, else the
        successors of a former name (邵东县 → 邵东市); ``level`` keeps those of one level.
        A candidate scores one point per ancestor named in ``context`` by full name, short
        name or a former name; among equal scores the one whose deepest matching ancestor is
        lower in the tree wins (a shared county says more than a shared province), then the
        lower id.  With no context the order is by id, the source's order, which puts a
        prefecture before its namesake county (长沙 → 长沙市, 长沙县).
        """
        get = self.divisions.__getitem__
        return [get(i) for i in self._ranked_ids(name, context, level)]

    def best_place(self, name: str, context: Iterable[str] = (), level: str | None = None) -> Division | None:
        """The first of :meth:`resolve_place`, or None, without building the others.

        >>> gz = load_gazetteer()
        >>> gz.best_place("胡家坪村", ["伏口镇", "涟源市"]) == gz.resolve_place("胡家坪村", ["伏口镇", "涟源市"])[0]
        True
        """
        ids = self._ranked_ids(name, context, level)
        return self.divisions[ids[0]] if ids else None

    def _ranked_ids(self, name: str, context: Iterable[str], level: str | None) -> list[int]:
        ids = self._lookup_ids(name) or self._short_ids(name) or self._renamed_ids(name)
        levels = self._levels
        if level is not None:
            lv = _level_index(level)
            ids = [i for i in ids if levels[i] == lv]
        ctx = {c for c in context if c and c != name}
        if len(ids) < 2 or not ctx:
            return ids
        # the divisions the context names, as ids: a village name can have hundreds of
        # candidates, whose ancestors are then checked by walking parent ids
        named = {i for c in ctx for i in self._named_by(c)}
        parents = self.divisions._parents

        def key(i: int) -> tuple[int, int, int]:
            hits, deepest = 0, -1
            a = parents[i]
            while a >= 0:
                if a in named:
                    hits += 1
                    deepest = max(deepest, levels[a])
                a = parents[a]
            return -hits, -deepest, i

        return sorted(ids, key=key)

    # -- helpers -------------------------------------------------------------------------------
    def _divs(self, ids: Iterable[int]) -> list[Division]:
        get = self.divisions.__getitem__
        return [get(i) for i in sorted(set(ids))]

    @staticmethod
    def _levels_of(level: str | None, n: int) -> range | tuple[int]:
        return range(n) if level is None else (_level_index(level),) if _level_index(level) < n else ()


def _level_index(level: str) -> int:
    try:
        return _LEVEL_INDEX[level]
    except KeyError:
        raise ValueError(f"unknown level {level!r}; expected one of {LEVELS}") from None


# ---------------------------------------------------------------------------------------------
# parsing

def _data_dir() -> Path:
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the gazetteer needs the jionlp package: pip install jionlp")
    return Path(list(spec.submodule_search_locations)[0]) / "dictionary"


def _read_source(data_dir: Path) -> tuple[Iterator[str], list[str]]:
    """The table's lines, streamed out of the zip (holding all 700,000 at once would add
    ~30 MB to the cold start's peak), and the change list's lines."""
    def lines() -> Iterator[str]:
        with zipfile.ZipFile(data_dir / "china_location.zip") as zf:
            member = next(n for n in zf.namelist() if n.endswith(_DATA_MEMBER))
            with zf.open(member) as fh:
                yield from io.TextIOWrapper(fh, encoding="utf-8")

    change = data_dir / _CHANGE_FILE
    changes = change.read_text(encoding="utf-8").splitlines() if change.exists() else []
    return lines(), changes


def _is_placeholder(name: str) -> bool:
    return name.endswith("直辖行政区划") or name.endswith("直辖县级行政区划")


def _build(lines: Iterable[str], change_lines: Iterable[str]) -> tuple:
    """Parse the tab-indented tree into the cached state (plain builtins, for marshal)."""
    from array import array

    names: list[str] = []
    levels = bytearray()
    parents = array("i")
    shorts: dict[int, str] = {}
    codes: dict[int, str] = {}
    aliases: dict[str, list[int]] = {}
    intern: dict[str, str] = {}          # one str object per distinct name: ~340k, not 700k
    stack: list[int] = [-1] * 5          # effective id at each depth (a dropped node maps to its parent)
    add_name, add_level, add_parent, known = names.append, levels.append, parents.append, intern.get
    for line in lines:
        body = line.lstrip("\t")
        depth = len(line) - len(body)
        if depth == 4 and stack[3] >= 0 and "\t" not in body and "直辖" not in body:
            raw = body.strip()           # 93% of lines are villages: name only, nothing to normalise
            if raw:
                add_name(known(raw) or intern.setdefault(raw, raw))
                add_level(4)
                add_parent(stack[3])
            continue
        fields = [f.strip() for f in body.split("\t")]
        raw = fields[0]
        if not raw or depth > 4:
            continue
        parent = next((p for p in reversed(stack[:depth]) if p >= 0), -1)
        if parent >= 0 and ("直辖" in raw and _is_placeholder(raw)
                            or depth == 1 and raw in (names[parent], shorts.get(parent))):
            stack[depth] = parent        # 省/市/县直辖行政区划, a municipality again, 香港 under 香港特别行政区
            continue
        name = _TYPOS.get(raw, raw)
        if depth == 3 and parent >= 0 and levels[parent] == 2:
            county = names[parent]
            if name.startswith(county) and len(name) - len(county) >= _MIN_CUT_REMAINDER:
                name = name[len(county):]
        i = len(names)
        if name != raw:
            aliases.setdefault(raw, []).append(i)
        add_name(intern.setdefault(name, name))
        add_level(depth)
        add_parent(parent)
        if depth <= 2:
            short = fields[2] if len(fields) > 2 else ""
            short = _TYPOS.get(short, short)
            if short == name and name.endswith("地区"):
                short = name[:-2]        # 阿里地区's short is given as 阿里地区; the others drop 地区
            if short:
                shorts[i] = short
            code = fields[1] if len(fields) > 1 else ""
            up = parent
            while code and up >= 0:      # 香港's districts repeat 810000: not their own code
                if codes.get(up) == code:
                    code = ""
                up = parents[up]
            if code:
                codes[i] = code
        stack[depth] = i
        for deeper in range(depth + 1, 5):
            stack[deeper] = -1

    ids = list(range(len(names)))       # shared int objects: marshal stores each once
    by_name: list[dict[str, list[int]]] = [{} for _ in LEVELS]
    children: dict[int, list[int]] = {}
    for i, name, lv, p in zip(ids, names, levels, parents):
        index = by_name[lv]
        same = index.get(name)
        if same is None:
            index[name] = [i]
        else:
            same.append(i)
        if p >= 0:
            kids = children.get(p)
            if kids is None:
                children[p] = [i]
            else:
                kids.append(i)
    by_short: list[dict[str, list[int]]] = [{} for _ in LEVELS[:3]]
    for i, short in sorted(shorts.items()):
        by_short[levels[i]].setdefault(short, []).append(ids[i])
    # A county's name with another county-level suffix is the same county renamed after the
    # table was made (撤县设区: 湟中县 → 湟中区 in 2019; 县改市: 邵东县 → 邵东市): news of
    # either date must find it.  Only names no division holds, so nothing is shadowed.
    taken = set().union(*by_name[:3])
    for i, short in sorted(shorts.items()):
        if levels[i] == 2 and len(short) >= 2 and short[-1] not in "县区市旗" and names[i].startswith(short):
            for suffix in "县区市":
                if short + suffix not in taken:
                    aliases.setdefault(short + suffix, []).append(ids[i])

    renames = []
    for line in change_lines:
        parts = line.strip().split("=>")
        if len(parts) != 2:
            continue
        old = parts[0].split("\t")
        new = tuple(_TYPOS.get(f.strip(), f.strip()) for f in parts[1].split("\t") if f.strip())
        date, approval, path = old[0].strip(), old[1].strip(), [f.strip() for f in old[2:]]
        if len(path) < 2 or len(path) % 2 or not new:
            continue
        renames.append((date, approval, tuple(path[0::2]), path[-1], new))
    renames = list(dict.fromkeys(renames))   # the source repeats 宁乡县 → 宁乡市

    def tuples(d: dict) -> dict:
        return {k: tuple(v) for k, v in d.items()}

    return (FORMAT_VERSION, names, bytes(levels), parents.tobytes(), shorts, codes,
            [tuples(d) for d in by_name], [tuples(d) for d in by_short], tuples(children),
            tuples(aliases), renames)


# ---------------------------------------------------------------------------------------------
# loading and the disk cache

def _cache_file(data_dir: Path) -> Path:
    """The cache's name carries everything that invalidates it: jionlp's version (the data),
    FORMAT_VERSION (our parse) and the Python minor version (marshal's format is only
    guaranteed within one)."""
    try:
        version = importlib.metadata.version("jionlp")
    except importlib.metadata.PackageNotFoundError:   # a vendored copy: key on the file instead
        st = (data_dir / "china_location.zip").stat()
        version = f"{st.st_size}-{st.st_mtime_ns}"
    py = f"{sys.version_info[0]}{sys.version_info[1]}"
    return cache_dir() / f"gazetteer-jionlp{version}-f{FORMAT_VERSION}-py{py}.marshal"


def _read_cache(path: Path) -> tuple | None:
    try:
        state = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not (isinstance(state, tuple) and len(state) == 11 and state[0] == FORMAT_VERSION):
        return None
    return state


def _write_cache(path: Path, state: tuple) -> None:
    """Atomic (temp file + rename) so concurrent builds never read a half-written table; any
    OSError (read-only home, full disk) just means running without the disk cache."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            marshal.dump(state, fh)
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, once per process (cached), from the disk cache when it is current.

    The disk cache is a marshal dump of plain lists, dicts, tuples and bytes (marshal reads
    these several times faster than pickle and the table has no custom classes), under
    ``$PAKG_CACHE_DIR`` or ``~/.cache/pakg``.  Measured on the development machine: cold
    (parse the zip, write the cache) 2-2.5 s, warm (read the cache) 0.3 s; the table then
    holds ~110 MB (+18 MB once every level's :meth:`Gazetteer.names` set is built).  The
    cyclic garbage collector is paused meanwhile: it would otherwise rescan the growing
    heap of new containers many times over, for nothing.
    """
    data_dir = _data_dir()
    cache = _cache_file(data_dir)
    with collector_paused():
        state = _read_cache(cache)
        if state is None:
            state = _build(*_read_source(data_dir))
            _write_cache(cache, state)
        return Gazetteer(state)
