#!/bin/sh
# Load this folder into a new Neo4j database (run from the build folder, Neo4j stopped).
neo4j-admin database import full neo4j \
    --array-delimiter=';' \
    --nodes=neo4j/nodes_Cadre.csv \
    --nodes=neo4j/nodes_Cooperative.csv \
    --nodes=neo4j/nodes_County.csv \
    --nodes=neo4j/nodes_Enterprise.csv \
    --nodes=neo4j/nodes_GovernmentBody.csv \
    --nodes=neo4j/nodes_Prefecture.csv \
    --nodes=neo4j/nodes_Program.csv \
    --nodes=neo4j/nodes_Province.csv \
    --nodes=neo4j/nodes_Resident.csv \
    --nodes=neo4j/nodes_Township.csv \
    --nodes=neo4j/nodes_Village.csv \
    --relationships=neo4j/relationships_implements.csv \
    --relationships=neo4j/relationships_locatedIn.csv \
    --relationships=neo4j/relationships_residentOf.csv \
    --relationships=neo4j/relationships_servesIn.csv
