"""The contract's namespaces and the standard vocabularies the ontology aligns to."""
from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, QB, RDF, RDFS, SDO, SKOS, XSD

from .vocabulary import CLASSES

PA = Namespace("https://w3id.org/pakg/ontology#")
PAD = Namespace("https://w3id.org/pakg/id/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
TIME = Namespace("http://www.w3.org/2006/time#")

PREFIXES = {
    "pa": PA, "pad": PAD, "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "skos": SKOS,
    "foaf": FOAF, "org": ORG, "prov": PROV, "qb": QB, "schema": SDO, "dcterms": DCTERMS, "nif": NIF,
    "time": TIME,
}
#: One prefix per kind of IRI (county:lian-yuan-shi), so that every IRI a build writes is
#: also a valid prefixed name: pad:county/lian-yuan-shi is none (a "/" in a local name).
#: (the entity classes' paths come from the ontology, pa:iriPath; then those of the other nodes)
IRI_KINDS = (*dict.fromkeys(term.iri_path for term in CLASSES.values()),
             "article", "observation", "post", "role", "interval", "instant")
PREFIXES.update({kind: Namespace(f"{PAD}{kind}/") for kind in IRI_KINDS})

__all__ = ["PA", "PAD", "NIF", "TIME", "PREFIXES", "IRI_KINDS", "DCTERMS", "FOAF", "ORG", "OWL", "PROV", "QB", "RDF", "RDFS",
           "SDO", "SKOS", "XSD"]
