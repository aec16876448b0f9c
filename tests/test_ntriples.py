"""kg.ntriples writes some terms itself: they must be what pyoxigraph writes."""
import pyoxigraph as ox

from kg.ntriples import literal, literal_forms, prefixes, turtle_name, turtle_string


def test_turtle_strings_are_escaped_as_pyoxigraph_escapes_them():
    """Unicode scalar values inside a literal, as pyoxigraph's Turtle writer has them: every
    one of the first two planes (all the controls, specials and scripts), and the first and
    last 256 of each of the other fifteen (every one of them took 6 s)."""
    chars = [c for c in range(0x20000) if not 0xD800 <= c <= 0xDFFF]
    chars += [c for plane in range(2, 17) for c in (*range(plane << 16, (plane << 16) + 256),
                                                     *range((plane + 1 << 16) - 256, plane + 1 << 16))]
    data = "\n".join(f'<http://x/{c}> <http://x/p> {literal("a" + chr(c) + "b")} .' for c in chars).encode("utf-8")
    written = ox.serialize(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE).decode("utf-8")
    theirs = {}
    for line in written.split("\n"):         # (not splitlines: U+2028 and U+0085 stay inside literals)
        if line.startswith("<http://x/"):
            subject, _, obj = line.split(" ", 2)
            theirs[int(subject[10:-1])] = obj[:-2]
    assert len(theirs) == len(chars)
    assert [c for c in chars if turtle_string("a" + chr(c) + "b") != theirs[c]] == []
    both = [(literal(t), turtle_string(t)) for t in ("a" + chr(c) + "b" for c in chars)]
    assert [c for c, pair in zip(chars, both) if literal_forms("a" + chr(c) + "b") != pair] == []


def test_turtle_names_are_those_pyoxigraph_writes():
    names = ("pa", "rdf", "xsd", "nif")
    iris = ["https://w3id.org/pakg/ontology#Mention", "https://w3id.org/pakg/ontology#servesIn",
            "http://www.w3.org/2001/XMLSchema#nonNegativeInteger", "https://w3id.org/pakg/id/village/x",
            "https://w3id.org/pakg/ontology#a_b-c", "http://example.org/a"]
    for iri in iris:
        triple = ox.Triple(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.NamedNode(iri))
        written = ox.serialize([triple], format=ox.RdfFormat.TURTLE, prefixes=prefixes(*names)).decode("utf-8")
        assert written.rstrip("\n").split("\n")[-1] == f"<http://x/s> <http://x/p> {turtle_name(iri, names)} ."
