#!/bin/sh
# Fails when a source file includes a header of a layer above its own (STYLE.md §2):
#   asl → data → definition/document → tasks → states → definition/plan → runtime → durable → server → tools
#   store (RocksDB) sits beside them on asl and data; only durable and tools use it
#   jsonata (the JSONata engine) sits on asl and data; states and every layer above use it
set -eu
cd "$(dirname "$0")/../.."
status=0
check() {  # check FOLDER-GLOB "allowed include prefixes (regex)"
  files=$(ls $1 2>/dev/null || true)
  [ -n "$files" ] || return 0
  bad=$(grep -Hn '#include "' $files | grep -vE "#include \"($2)" || true)
  if [ -n "$bad" ]; then echo "layering violation (allowed: $2):"; echo "$bad"; status=1; fi
}
doc='engine/definition/(document|definition_substitutions|diagnostic|field_reader|source_location|strict_json_reader)\.hpp'
check 'engine/asl/*' 'engine/asl/'
check 'engine/data/*' 'engine/asl/|engine/data/'
check "engine/definition/document.* engine/definition/definition_substitutions.* engine/definition/strict_json_reader.* engine/definition/diagnostic.* engine/definition/field_reader.* engine/definition/source_location.hpp" "engine/asl/|engine/data/|$doc"
check 'engine/jsonata/*' 'engine/asl/|engine/data/|engine/jsonata/'
check 'engine/tasks/*' 'engine/asl/|engine/data/|engine/tasks/'
check 'states/*' "engine/asl/|engine/data/|engine/jsonata/|$doc|engine/tasks/task_resource.hpp|states/"
check 'engine/definition/plan.* engine/definition/compiler.*' 'engine/asl/|engine/data/|engine/jsonata/|engine/definition/|engine/tasks/task_resource.hpp|states/'
check 'engine/runtime/*' 'engine/asl/|engine/data/|engine/jsonata/|engine/definition/|engine/tasks/|states/|engine/runtime/'
check 'engine/store/*' 'engine/asl/|engine/data/|engine/store/'
check 'engine/durable/*' 'engine/asl/|engine/data/|engine/jsonata/|engine/definition/|engine/tasks/|states/|engine/runtime/|engine/store/|engine/durable/'
check 'engine/server/*' 'engine/asl/|engine/data/|engine/jsonata/|engine/definition/|engine/tasks/|states/|engine/runtime/|engine/store/|engine/durable/|engine/server/'
[ $status -eq 0 ] && echo "layering: ok"
exit $status
