#!/bin/sh
# Load the CSV files beside this script into a Neo4j 5 database, replacing it if it
# exists.  Stop the database first (neo4j stop), run this as the user Neo4j runs as:
#     sh import.sh [DATABASE]        (default: neo4j)
# then start it again.  Sentences may span lines, hence --multiline-fields.
set -e
cd "$(dirname "$0")"
neo4j-admin database import full "${1:-neo4j}" --overwrite-destination \
    --array-delimiter=';' --multiline-fields=true \
    --nodes=nodes_Article.csv \
    --nodes=nodes_Cadre.csv \
    --nodes=nodes_Cooperative.csv \
    --nodes=nodes_County.csv \
    --nodes=nodes_Enterprise.csv \
    --nodes=nodes_GovernmentBody.csv \
    --nodes=nodes_Observation.csv \
    --nodes=nodes_Prefecture.csv \
    --nodes=nodes_Program.csv \
    --nodes=nodes_Province.csv \
    --nodes=nodes_Resident.csv \
    --nodes=nodes_Township.csv \
    --nodes=nodes_Village.csv \
    --relationships=relationships_implements_Place_Program.csv \
    --relationships=relationships_locatedIn_Organization_Place.csv \
    --relationships=relationships_locatedIn_Place_Place.csv \
    --relationships=relationships_mentionedIn_Observation_Article.csv \
    --relationships=relationships_mentionedIn_Organization_Article.csv \
    --relationships=relationships_mentionedIn_Person_Article.csv \
    --relationships=relationships_mentionedIn_Place_Article.csv \
    --relationships=relationships_mentionedIn_Program_Article.csv \
    --relationships=relationships_refArea_Observation_Place.csv \
    --relationships=relationships_residentOf_Person_Place.csv \
    --relationships=relationships_servesIn_Person_Organization.csv \
    --relationships=relationships_servesIn_Person_Place.csv \
    --relationships=relationships_supports_Organization_Place.csv
