"""SHACL validation: the seeds' build conforms, and broken graphs are caught."""
import shutil

from rdflib import Graph, Literal, Namespace

from kg.cli import main
from kg.ontology import load_ontology
from kg.validate import validate_build, validate_graph

PA = Namespace("https://w3id.org/pakg/ontology#")
PAD = Namespace("https://w3id.org/pakg/id/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
_XSD = Namespace("http://www.w3.org/2001/XMLSchema#")


def test_seeds_build_conforms(seeds_build):
    report = validate_build(seeds_build)
    assert report.conforms, "\n".join(map(str, report.violations))
    assert main(["validate", str(seeds_build)]) == 0


def broken_graph() -> Graph:
    g = Graph()
    art = PAD["article/a"]
    g.add((art, RDF.type, PA.Article))
    g.add((art, PA.sourceFile, Literal("a.txt")))
    cadre, program, place = PAD["person/x"], PAD["program/p"], PAD["village/v"]
    g.add((cadre, RDF.type, PA.Cadre))                         # no label, no mention
    g.add((program, RDF.type, PA.Program))
    g.add((program, RDFS.label, Literal("四跟四走", lang="zh")))
    g.add((program, PA.mentionedIn, art))
    g.add((cadre, PA.servesIn, program))                       # a program is no unit
    g.add((place, RDF.type, PA.Village))                       # neither mention nor code
    g.add((place, RDFS.label, Literal("某村", lang="zh")))
    obs = PAD["observation/o"]
    g.add((obs, RDF.type, PA.Observation))
    g.add((obs, PA.refArea, place))
    g.add((obs, PA.indicator, PA.PovertyIncidence))
    g.add((obs, PA.value, Literal("high")))                    # not a decimal
    g.add((obs, PA.mentionedIn, art))
    return g


def test_broken_graph_is_reported():
    report = validate_graph(broken_graph(), load_ontology())
    assert not report.conforms
    found = {(v.focus.rsplit("/", 1)[-1], v.path) for v in report.violations}
    assert ("x", "rdfs:label") in found
    assert ("x", "pa:mentionedIn") in found
    assert ("x", "pa:servesIn") in found
    assert ("o", "pa:value") in found
    assert any(v.focus.endswith("village/v") for v in report.violations)


def test_validate_command_exit_codes(seeds_build, tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(seeds_build, bad)
    g = broken_graph()
    g.serialize(bad / "kg.ttl", format="turtle")
    assert main(["validate", str(bad)]) == 1
    assert main(["validate", str(tmp_path / "missing")]) == 2


def test_decimal_and_year_types_are_checked():
    g = Graph()
    obs, area, art = PAD["observation/o"], PAD["county/c"], PAD["article/a"]
    g.add((art, RDF.type, PA.Article))
    g.add((art, PA.sourceFile, Literal("a.txt")))
    g.add((area, RDF.type, PA.County))
    g.add((area, RDFS.label, Literal("某县", lang="zh")))
    g.add((area, PA.mentionedIn, art))
    g.add((obs, RDF.type, PA.Observation))
    g.add((obs, PA.refArea, area))
    g.add((obs, PA.indicator, PA.PovertyIncidence))
    g.add((obs, PA.value, Literal("18.3", datatype=_XSD.decimal)))
    g.add((obs, PA.refYear, Literal("2013", datatype=_XSD.gYear)))
    g.add((obs, PA.mentionedIn, art))
    assert validate_graph(g, load_ontology()).conforms
    g.add((obs, PA.refYear, Literal("2014", datatype=_XSD.gYear)))      # two years
    assert not validate_graph(g, load_ontology()).conforms


def pyshacl_violations(g: Graph) -> set[tuple[str, str]]:
    """What pySHACL, an independent SHACL engine, reports: (focus, path)."""
    from pyshacl import validate as shacl_validate

    from kg.validate import SHAPES_FILE, _short

    sh = Namespace("http://www.w3.org/ns/shacl#")
    _, results, _ = shacl_validate(g, shacl_graph=Graph().parse(SHAPES_FILE), ont_graph=load_ontology(),
                                   inference="none", advanced=True)
    return {(str(results.value(r, sh.focusNode)), _short(results.value(r, sh.resultPath)))
            for r in results.subjects(sh.resultSeverity, sh.Violation)}


def test_rudof_and_pyshacl_agree(seeds_build):
    """The build's validator (rudof) reports what pySHACL reports, on a broken graph and
    on the seeds' build with a few more planted faults."""
    broken = broken_graph()
    assert {(v.focus, v.path) for v in validate_graph(broken).violations} == pyshacl_violations(broken)
    g = Graph().parse(seeds_build / "kg.ttl")
    village = next(g.subjects(RDF.type, PA.Village))
    g.remove((village, RDFS.label, None))
    g.add((village, PA.adminCode, Literal("x")))
    g.add((PAD["person/y"], PA.servesIn, village))
    g.add((PAD["person/y"], RDF.type, PA.Cadre))
    # the third of many values is the bad one: the check reads only two values of each
    # set of classes per property (kg.validate._lines_to_check), and must still see it
    cadre = next(g.subjects(RDF.type, PA.Cadre))
    for art in list(g.subjects(RDF.type, PA.Article))[:3]:
        g.add((cadre, PA.mentionedIn, art))
    g.add((cadre, PA.mentionedIn, village))
    obs = next(g.subjects(RDF.type, PA.Observation))
    for year in ("2014", "2015", "2016"):
        g.add((obs, PA.refYear, Literal(year, datatype=_XSD.gYear)))
    found = {(v.focus, v.path) for v in validate_graph(g).violations}
    assert found == pyshacl_violations(g) and len(found) >= 5
    assert (str(cadre), "pa:mentionedIn") in found and (str(obs), "pa:refYear") in found


def test_shapes_allow_at_most_max_count_values():
    """kg.validate._lines_to_check keeps MAX_COUNT + 1 values of a kind, which shows every
    sh:maxCount violation only while no shape allows more than MAX_COUNT."""
    from kg.validate import MAX_COUNT, SHAPES_FILE

    sh = Namespace("http://www.w3.org/ns/shacl#")
    shapes = Graph().parse(SHAPES_FILE)
    counts = [int(n) for n in shapes.objects(None, sh.maxCount)]
    assert counts and max(counts) <= MAX_COUNT
    assert max(int(n) for n in shapes.objects(None, sh.minCount)) <= MAX_COUNT + 1


def test_validation_in_parts_reports_what_the_whole_graph_does(seeds_build):
    """Checking the graph in parts (to bound memory) loses and invents nothing."""
    from kg.validate import validate_lines

    g = Graph().parse(seeds_build / "kg.ttl") + broken_graph()
    lines = sorted({ln for ln in g.serialize(format="nt").splitlines() if ln.strip()})
    whole = validate_lines(lines, chunk=len(lines) + 1)
    assert not whole.conforms and len(whole.violations) >= 5
    assert validate_lines(lines, chunk=50).violations == whole.violations


def test_the_check_reads_the_properties_the_shapes_name(tmp_path, monkeypatch):
    """kg.validate leaves out the lines of properties no shape names; which those are is
    read off the shapes (kg.shapes), and a shape that might look at any property turns
    that off."""
    from kg import shapes

    sh = Namespace("http://www.w3.org/ns/shacl#")
    graph = Graph().parse(shapes.SHAPES_FILE)
    named = {f"<{o}>" for p in (sh.path, sh.targetSubjectsOf) for o in graph.objects(None, p)}
    assert shapes.looked_at() == named | {f"<{RDF.type}>", f"<{RDFS.subClassOf}>"}
    assert f"<{PA.foundBy}>" not in shapes.looked_at()
    inverse = tmp_path / "shapes.ttl"
    inverse.write_text(shapes.SHAPES_FILE.read_text(encoding="utf-8") + """
pash:Inverse a sh:NodeShape ; sh:targetClass pa:Place ;
    sh:property [ sh:path [ sh:inversePath pa:locatedIn ] ; sh:class pa:Place ] .
""", encoding="utf-8")
    shapes.looked_at.cache_clear()
    shapes.blind_to_values.cache_clear()
    monkeypatch.setattr(shapes, "SHAPES_FILE", inverse)
    try:
        assert shapes.looked_at() is None and shapes.blind_to_values() == frozenset()
    finally:
        shapes.looked_at.cache_clear()
        shapes.blind_to_values.cache_clear()


def test_stand_ins_for_values_report_what_the_values_would(seeds_build):
    """kg.validate checks a property's node values through stand-ins of the same types
    (see _lines_to_check); on the seeds' graph with values of the wrong kind, of no kind, of a
    kind only the ontology gives, and too many of them, it still reports what pySHACL
    reports on the whole graph, in parts of any size."""
    from kg.shapes import blind_to_values
    from kg.validate import validate_lines

    g = Graph().parse(seeds_build / "kg.ttl")
    cadre, resident = next(g.subjects(RDF.type, PA.Cadre)), next(g.subjects(RDF.type, PA.Resident))
    program, village = next(g.subjects(RDF.type, PA.Program)), next(g.subjects(RDF.type, PA.Village))
    obs = list(g.subjects(RDF.type, PA.Observation))
    g.add((cadre, PA.servesIn, program))                      # a program is no place or organisation
    g.add((resident, PA.residentOf, next(g.subjects(RDF.type, PA.Article))))
    g.add((village, PA.locatedIn, PAD["place/untyped"]))       # a value of no type at all
    g.add((obs[0], PA.indicator, PA.PovertyIncidence))        # a second indicator, typed by the ontology
    g.add((obs[1], PA.refArea, village))                      # a second area of the same kind …
    g.add((obs[2], PA.refArea, cadre))                        # … and one of another
    assert f"<{PA.servesIn}>" in blind_to_values() and f"<{PA.refArea}>" in blind_to_values()
    lines = sorted({ln for ln in g.serialize(format="nt").splitlines() if ln.strip()})
    expected = pyshacl_violations(g)
    assert len(expected) >= 6
    for chunk in (len(lines) + 1, 40):
        assert {(v.focus, v.path) for v in validate_lines(lines, chunk=chunk).violations} == expected


def test_a_watching_process_checks_what_a_fresh_check_does(seeds_build):
    """With kept pieces (kg build --watch) the check reuses its passes over runs of subjects
    whose lines are the same; a run's lines can stay the same while the class of a node they
    point to changes, which must be seen too."""
    from kg.speed.incremental import Pieces
    from kg.remember import remembering
    from kg.validate import validate_lines

    g = Graph().parse(seeds_build / "kg.ttl")
    cadre, village = next(g.subjects(RDF.type, PA.Cadre)), next(g.subjects(RDF.type, PA.Village))
    program, untyped = next(g.subjects(RDF.type, PA.Program)), PAD["place/untyped"]
    steps = [lambda: None,
             lambda: g.add((cadre, PA.servesIn, program)),            # a program is no place
             lambda: g.add((village, PA.locatedIn, untyped)),         # a value of no type
             lambda: g.add((untyped, RDF.type, PA.County)),           # … typed now: the village's lines are the same
             lambda: g.remove((cadre, PA.servesIn, program)),
             lambda: g.add((untyped, RDF.type, PA.Program))]          # a county and a program at once
    pieces, seen = Pieces(), set()
    for step, change in enumerate(steps):
        change()
        lines = sorted({ln for ln in g.serialize(format="nt").splitlines() if ln.strip()})
        fresh = validate_lines(lines, chunk=200)
        with remembering(pieces):
            assert validate_lines(lines, chunk=200).violations == fresh.violations, step
        seen.add(tuple(fresh.violations))
        pieces.sweep()
    assert len(seen) >= 4          # the steps changed what is reported


def test_the_time_a_post_was_held_is_checked(seeds_build):
    """The seeds' dated post (刘清锋, 2018年3月来到胡家坪村担任…) conforms; an interval with two
    beginnings, an instant dated twice or by a year-month written as a year do not, and
    rudof reports what pySHACL does."""
    TIME = Namespace("http://www.w3.org/2006/time#")
    g = Graph().parse(seeds_build / "kg.ttl")
    intervals = set(g.objects(None, PA.heldDuring))
    assert intervals and validate_graph(g).conforms
    interval = sorted(intervals)[0]
    begin = g.value(interval, TIME.hasBeginning)
    assert str(g.value(begin, TIME.inXSDgYearMonth)) == "2018-03"
    g.add((interval, TIME.hasBeginning, PAD["instant/2019-01"]))          # two beginnings
    g.add((PAD["instant/2019-01"], RDF.type, TIME.Instant))
    g.add((PAD["instant/2019-01"], TIME.inXSDgYearMonth, Literal("2019-01", datatype=_XSD.gYearMonth)))
    g.add((begin, TIME.inXSDgYear, Literal("2018", datatype=_XSD.gYear)))  # dated twice
    found = {(v.focus, v.path) for v in validate_graph(g).violations}
    assert {str(interval), str(begin)} <= {focus for focus, _ in found}
    assert found == pyshacl_violations(g)
