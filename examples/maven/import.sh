#!/bin/sh
# Imports the Maven Analytics CRM sample (../shared/data/maven-crm) into a new crm
# database with the mappings beside this script. README.md says how each flaw of the
# data is handled.
#   examples/maven/import.sh [DATA_DIR] [DB]      (crm on PATH, or CRM=build/bin/crm)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${1:-$here/../../../shared/data/maven-crm}
db=${2:-maven.db}
crm=${CRM:-crm}
if [ -e "$db" ]; then echo "$db exists: give a new file" >&2; exit 1; fi

"$crm" --db "$db" init >/dev/null
# The pipeline of the data's four stages, and the lost reason the data does not give.
"$crm" --db "$db" pipeline add --name Maven --stage Prospecting:10 --stage Engaging:50 \
    --stage Won:100:won --stage Lost:0:lost >/dev/null
"$crm" --db "$db" deal lost-reason add "Not recorded" >/dev/null

for step in accounts:accounts products:products managers:sales_teams teams:sales_teams \
            agents:sales_teams deals:sales_pipeline; do
    mapping=${step%%:*}
    file=${step#*:}
    echo "== $mapping ($file.csv)"
    "$crm" --db "$db" import "$data/$file.csv" --mapping "$here/$mapping.json" --quiet
done
