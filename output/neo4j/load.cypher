// Load the CSV files of this folder into a running Neo4j 5 server: copy them into its
// import folder, then  cypher-shell -u neo4j -p PASSWORD -f load.cypher

CREATE CONSTRAINT article_iri IF NOT EXISTS FOR (n:Article) REQUIRE n.iri IS UNIQUE;
CREATE CONSTRAINT observation_iri IF NOT EXISTS FOR (n:Observation) REQUIRE n.iri IS UNIQUE;
CREATE CONSTRAINT organization_iri IF NOT EXISTS FOR (n:Organization) REQUIRE n.iri IS UNIQUE;
CREATE CONSTRAINT person_iri IF NOT EXISTS FOR (n:Person) REQUIRE n.iri IS UNIQUE;
CREATE CONSTRAINT place_iri IF NOT EXISTS FOR (n:Place) REQUIRE n.iri IS UNIQUE;
CREATE CONSTRAINT program_iri IF NOT EXISTS FOR (n:Program) REQUIRE n.iri IS UNIQUE;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Article.csv' AS row
MERGE (n:Article {iri: row.`iri:ID(Article)`})
SET n += {label: CASE WHEN row.`label` <> '' THEN row.`label` END, sourceFiles: CASE WHEN row.`sourceFiles:string[]` <> '' THEN split(row.`sourceFiles:string[]`, ';') END};

LOAD CSV WITH HEADERS FROM 'file:///nodes_Cadre.csv' AS row
MERGE (n:Person {iri: row.`iri:ID(Person)`})
SET n:Cadre, n += {label: CASE WHEN row.`label` <> '' THEN row.`label` END, altLabels: CASE WHEN row.`altLabels:string[]` <> '' THEN split(row.`altLabels:string[]`, ';') END, adminCode: CASE WHEN row.`adminCode` <> '' THEN row.`adminCode` END, positionTitles: CASE WHEN row.`positionTitles:string[]` <> '' THEN split(row.`positionTitles:string[]`, ';') END, articles: toInteger(row.`articles:int`)};

LOAD CSV WITH HEADERS FROM 'file:///nodes_Cooperative.csv' AS row
MERGE (n:Organization {iri: row.`iri:ID(Organization)`})
SET n:Cooperative, n += {label: CASE WHEN row.`label` <> '' THEN row.`label` END, altLabels: CASE WHEN row.`altLabels:string[]` <> '' THEN split(row.`altLabels:string[]`, ';') END, adminCode: CASE WHEN row.`adminCode` <> '' THEN row.`adminCode` END, positionTitles: CASE WHEN row.`positionTitles:string[]` <> '' THEN split(row.`positionTitles:string[]`, ';') END, articles: toInteger(row.`articles:int`)};

LOAD CSV WITH HEADERS FROM 'file:///nodes_County.csv' AS row
MERGE (n:Place {iri: row.`iri:ID(Place)`})
SET n:County, n += {label: CASE WHEN row.`label` <> '' THEN row.`label` END, altLabels: CASE WHEN row.`altLabels:string[]` <> '' THEN split(row.`altLabels:string[]`, ';') END, adminCode: CASE WHEN row.`adminCode` <> '' THEN row.`adminCode` END, positionTitles: CASE WHEN row.`positionTitles:string[]` <> '' THEN split(row.`positionTitles:string[]`, ';') END, articles: toInteger(row.`articles:int`)};

LOAD CSV WITH HEADERS FROM 'file:///nodes_Enterprise.csv' AS row
MERGE (n:Organization {iri: row.`iri:ID(Organization)`})
SET n:Enterprise, n += {label: CASE WHEN row.`label` <> '' THEN row.`label` END, altLabels: CASE WHEN row.`altLabels:string[]` <> '' THEN split(row.`altLabels:string[]`, ';') END, adminCode: CASE WHEN row.`adminCode` <> '' THEN row.`adminCode` END, positionTitles: CASE WHEN row.`positionTitles:string[]` <> '' THEN split(row.`positionTitles:string[]`, ';') END, articles: toInteger(row.`articles:int`)};

LOAD CSV WITH HEADERS FROM 'file:///nodes_GovernmentBody.csv' AS row
MERGE (n:Organization {iri: row.`iri:ID(Organization)`})
SET n:GovernmentBody, n += {label: CASE WHEN row.`label` <> '' THEN row.`label` END, altLabels: CASE WHEN row.`altLabels:string[]` <> '' THEN split(row.`altLabels:string[]`, ';') END, adminCode: CASE WHEN row.`adminCode` <> '' THEN row.`adminCode` END, positionTitles: CASE WHEN row.`positionTitles:string[]` <> '' THEN split(row.`positionTitles:string[]`, ';') END, articles: toInteger(row.`articles:int`)};

LOAD CSV WITH HEADERS FROM 'file:///nodes_Observation.csv' AS row
MERGE (n:Observation {iri: row.`iri:ID(Observation)`})
SET n += {label: CASE WHEN row.`label` <> '' THEN row.`label` END, indicator: CASE WHEN row.`indicator` <> '' THEN row.`indicator` END, value: toFloat(row.`value:double`), unit: CASE WHEN row.`unit` <> '' THEN row.`unit` END, year: toInteger(row.`year:int`), periodStart: toInteger(row.`periodStart:int`), periodEnd: toInteger(row.`periodEnd:int`), foundBy: CASE WHEN row.`foundBy` <> '' THEN row.`foundBy` END};

LOAD CSV WITH HEADERS FROM 'file:///nodes_Prefecture.csv' AS row
MERGE (n:Place {iri: row.`iri:ID(Place)`})
SET n:Prefecture, n += {label: CASE WHEN row.`label` <> '' THEN row.`label` END, altLabels: CASE WHEN row.`altLabels:string[]` <> '' THEN split(row.`altLabels:string[]`, ';') END, adminCode: CASE WHEN row.`adminCode` <> '' THEN row.`adminCode` END, positionTitles: CASE WHEN row.`positionTitles:string[]` <> '' THEN split(row.`positionTitles:string[]`, ';') END, articles: toInteger(row.`articles:int`)};

LOAD CSV WITH HEADERS FROM 'file:///nodes_Program.csv' AS row
MERGE (n:Program {iri: row.`iri:ID(Program)`})
SET n += {label: CASE WHEN row.`label` <> '' THEN row.`label` END, altLabels: CASE WHEN row.`altLabels:string[]` <> '' THEN split(row.`altLabels:string[]`, ';') END, adminCode: CASE WHEN row.`adminCode` <> '' THEN row.`adminCode` END, positionTitles: CASE WHEN row.`positionTitles:string[]` <> '' THEN split(row.`positionTitles:string[]`, ';') END, articles: toInteger(row.`articles:int`)};

LOAD CSV WITH HEADERS FROM 'file:///nodes_Province.csv' AS row
MERGE (n:Place {iri: row.`iri:ID(Place)`})
SET n:Province, n += {label: CASE WHEN row.`label` <> '' THEN row.`label` END, altLabels: CASE WHEN row.`altLabels:string[]` <> '' THEN split(row.`altLabels:string[]`, ';') END, adminCode: CASE WHEN row.`adminCode` <> '' THEN row.`adminCode` END, positionTitles: CASE WHEN row.`positionTitles:string[]` <> '' THEN split(row.`positionTitles:string[]`, ';') END, articles: toInteger(row.`articles:int`)};

LOAD CSV WITH HEADERS FROM 'file:///nodes_Resident.csv' AS row
MERGE (n:Person {iri: row.`iri:ID(Person)`})
SET n:Resident, n += {label: CASE WHEN row.`label` <> '' THEN row.`label` END, altLabels: CASE WHEN row.`altLabels:string[]` <> '' THEN split(row.`altLabels:string[]`, ';') END, adminCode: CASE WHEN row.`adminCode` <> '' THEN row.`adminCode` END, positionTitles: CASE WHEN row.`positionTitles:string[]` <> '' THEN split(row.`positionTitles:string[]`, ';') END, articles: toInteger(row.`articles:int`)};

LOAD CSV WITH HEADERS FROM 'file:///nodes_Township.csv' AS row
MERGE (n:Place {iri: row.`iri:ID(Place)`})
SET n:Township, n += {label: CASE WHEN row.`label` <> '' THEN row.`label` END, altLabels: CASE WHEN row.`altLabels:string[]` <> '' THEN split(row.`altLabels:string[]`, ';') END, adminCode: CASE WHEN row.`adminCode` <> '' THEN row.`adminCode` END, positionTitles: CASE WHEN row.`positionTitles:string[]` <> '' THEN split(row.`positionTitles:string[]`, ';') END, articles: toInteger(row.`articles:int`)};

LOAD CSV WITH HEADERS FROM 'file:///nodes_Village.csv' AS row
MERGE (n:Place {iri: row.`iri:ID(Place)`})
SET n:Village, n += {label: CASE WHEN row.`label` <> '' THEN row.`label` END, altLabels: CASE WHEN row.`altLabels:string[]` <> '' THEN split(row.`altLabels:string[]`, ';') END, adminCode: CASE WHEN row.`adminCode` <> '' THEN row.`adminCode` END, positionTitles: CASE WHEN row.`positionTitles:string[]` <> '' THEN split(row.`positionTitles:string[]`, ';') END, articles: toInteger(row.`articles:int`)};

LOAD CSV WITH HEADERS FROM 'file:///relationships_implements_Place_Program.csv' AS row
MATCH (a:Place {iri: row.`:START_ID(Place)`}), (b:Program {iri: row.`:END_ID(Program)`})
MERGE (a)-[r:implements]->(b)
SET r += {evidence: CASE WHEN row.`evidence` <> '' THEN row.`evidence` END, sourceFile: CASE WHEN row.`sourceFile` <> '' THEN row.`sourceFile` END, foundBy: CASE WHEN row.`foundBy:string[]` <> '' THEN split(row.`foundBy:string[]`, ';') END, confidence: toFloat(row.`confidence:double`)};

LOAD CSV WITH HEADERS FROM 'file:///relationships_locatedIn_Organization_Place.csv' AS row
MATCH (a:Organization {iri: row.`:START_ID(Organization)`}), (b:Place {iri: row.`:END_ID(Place)`})
MERGE (a)-[r:locatedIn]->(b)
SET r += {evidence: CASE WHEN row.`evidence` <> '' THEN row.`evidence` END, sourceFile: CASE WHEN row.`sourceFile` <> '' THEN row.`sourceFile` END, foundBy: CASE WHEN row.`foundBy:string[]` <> '' THEN split(row.`foundBy:string[]`, ';') END, confidence: toFloat(row.`confidence:double`)};

LOAD CSV WITH HEADERS FROM 'file:///relationships_locatedIn_Place_Place.csv' AS row
MATCH (a:Place {iri: row.`:START_ID(Place)`}), (b:Place {iri: row.`:END_ID(Place)`})
MERGE (a)-[r:locatedIn]->(b)
SET r += {evidence: CASE WHEN row.`evidence` <> '' THEN row.`evidence` END, sourceFile: CASE WHEN row.`sourceFile` <> '' THEN row.`sourceFile` END, foundBy: CASE WHEN row.`foundBy:string[]` <> '' THEN split(row.`foundBy:string[]`, ';') END, confidence: toFloat(row.`confidence:double`)};

LOAD CSV WITH HEADERS FROM 'file:///relationships_mentionedIn_Observation_Article.csv' AS row
MATCH (a:Observation {iri: row.`:START_ID(Observation)`}), (b:Article {iri: row.`:END_ID(Article)`})
MERGE (a)-[r:mentionedIn]->(b)
SET r += {evidence: CASE WHEN row.`evidence` <> '' THEN row.`evidence` END, sourceFile: CASE WHEN row.`sourceFile` <> '' THEN row.`sourceFile` END, foundBy: CASE WHEN row.`foundBy:string[]` <> '' THEN split(row.`foundBy:string[]`, ';') END, confidence: toFloat(row.`confidence:double`)};

LOAD CSV WITH HEADERS FROM 'file:///relationships_mentionedIn_Organization_Article.csv' AS row
MATCH (a:Organization {iri: row.`:START_ID(Organization)`}), (b:Article {iri: row.`:END_ID(Article)`})
MERGE (a)-[r:mentionedIn]->(b)
SET r += {evidence: CASE WHEN row.`evidence` <> '' THEN row.`evidence` END, sourceFile: CASE WHEN row.`sourceFile` <> '' THEN row.`sourceFile` END, foundBy: CASE WHEN row.`foundBy:string[]` <> '' THEN split(row.`foundBy:string[]`, ';') END, confidence: toFloat(row.`confidence:double`)};

LOAD CSV WITH HEADERS FROM 'file:///relationships_mentionedIn_Person_Article.csv' AS row
MATCH (a:Person {iri: row.`:START_ID(Person)`}), (b:Article {iri: row.`:END_ID(Article)`})
MERGE (a)-[r:mentionedIn]->(b)
SET r += {evidence: CASE WHEN row.`evidence` <> '' THEN row.`evidence` END, sourceFile: CASE WHEN row.`sourceFile` <> '' THEN row.`sourceFile` END, foundBy: CASE WHEN row.`foundBy:string[]` <> '' THEN split(row.`foundBy:string[]`, ';') END, confidence: toFloat(row.`confidence:double`)};

LOAD CSV WITH HEADERS FROM 'file:///relationships_mentionedIn_Place_Article.csv' AS row
MATCH (a:Place {iri: row.`:START_ID(Place)`}), (b:Article {iri: row.`:END_ID(Article)`})
MERGE (a)-[r:mentionedIn]->(b)
SET r += {evidence: CASE WHEN row.`evidence` <> '' THEN row.`evidence` END, sourceFile: CASE WHEN row.`sourceFile` <> '' THEN row.`sourceFile` END, foundBy: CASE WHEN row.`foundBy:string[]` <> '' THEN split(row.`foundBy:string[]`, ';') END, confidence: toFloat(row.`confidence:double`)};

LOAD CSV WITH HEADERS FROM 'file:///relationships_mentionedIn_Program_Article.csv' AS row
MATCH (a:Program {iri: row.`:START_ID(Program)`}), (b:Article {iri: row.`:END_ID(Article)`})
MERGE (a)-[r:mentionedIn]->(b)
SET r += {evidence: CASE WHEN row.`evidence` <> '' THEN row.`evidence` END, sourceFile: CASE WHEN row.`sourceFile` <> '' THEN row.`sourceFile` END, foundBy: CASE WHEN row.`foundBy:string[]` <> '' THEN split(row.`foundBy:string[]`, ';') END, confidence: toFloat(row.`confidence:double`)};

LOAD CSV WITH HEADERS FROM 'file:///relationships_refArea_Observation_Place.csv' AS row
MATCH (a:Observation {iri: row.`:START_ID(Observation)`}), (b:Place {iri: row.`:END_ID(Place)`})
MERGE (a)-[r:refArea]->(b)
SET r += {evidence: CASE WHEN row.`evidence` <> '' THEN row.`evidence` END, sourceFile: CASE WHEN row.`sourceFile` <> '' THEN row.`sourceFile` END, foundBy: CASE WHEN row.`foundBy:string[]` <> '' THEN split(row.`foundBy:string[]`, ';') END, confidence: toFloat(row.`confidence:double`)};

LOAD CSV WITH HEADERS FROM 'file:///relationships_residentOf_Person_Place.csv' AS row
MATCH (a:Person {iri: row.`:START_ID(Person)`}), (b:Place {iri: row.`:END_ID(Place)`})
MERGE (a)-[r:residentOf]->(b)
SET r += {evidence: CASE WHEN row.`evidence` <> '' THEN row.`evidence` END, sourceFile: CASE WHEN row.`sourceFile` <> '' THEN row.`sourceFile` END, foundBy: CASE WHEN row.`foundBy:string[]` <> '' THEN split(row.`foundBy:string[]`, ';') END, confidence: toFloat(row.`confidence:double`)};

LOAD CSV WITH HEADERS FROM 'file:///relationships_servesIn_Person_Organization.csv' AS row
MATCH (a:Person {iri: row.`:START_ID(Person)`}), (b:Organization {iri: row.`:END_ID(Organization)`})
MERGE (a)-[r:servesIn]->(b)
SET r += {evidence: CASE WHEN row.`evidence` <> '' THEN row.`evidence` END, sourceFile: CASE WHEN row.`sourceFile` <> '' THEN row.`sourceFile` END, foundBy: CASE WHEN row.`foundBy:string[]` <> '' THEN split(row.`foundBy:string[]`, ';') END, confidence: toFloat(row.`confidence:double`)};

LOAD CSV WITH HEADERS FROM 'file:///relationships_servesIn_Person_Place.csv' AS row
MATCH (a:Person {iri: row.`:START_ID(Person)`}), (b:Place {iri: row.`:END_ID(Place)`})
MERGE (a)-[r:servesIn]->(b)
SET r += {evidence: CASE WHEN row.`evidence` <> '' THEN row.`evidence` END, sourceFile: CASE WHEN row.`sourceFile` <> '' THEN row.`sourceFile` END, foundBy: CASE WHEN row.`foundBy:string[]` <> '' THEN split(row.`foundBy:string[]`, ';') END, confidence: toFloat(row.`confidence:double`)};

LOAD CSV WITH HEADERS FROM 'file:///relationships_supports_Organization_Place.csv' AS row
MATCH (a:Organization {iri: row.`:START_ID(Organization)`}), (b:Place {iri: row.`:END_ID(Place)`})
MERGE (a)-[r:supports]->(b)
SET r += {evidence: CASE WHEN row.`evidence` <> '' THEN row.`evidence` END, sourceFile: CASE WHEN row.`sourceFile` <> '' THEN row.`sourceFile` END, foundBy: CASE WHEN row.`foundBy:string[]` <> '' THEN split(row.`foundBy:string[]`, ';') END, confidence: toFloat(row.`confidence:double`)};
