#!/usr/bin/env bash
# Seeds each fuzz target's corpus from the shipped examples, the GENIUS
# test fixtures and the ANAC domains in ../shared/anac (docs/fuzzing.md).
set -euo pipefail
cd "$(dirname "$0")"
root=..
anac=${ANAC:-$root/../shared/anac}
mkdir -p corpus/{scenario,rule,genius,ledger_jsonl,ledger_csv,arguments}
cp "$root"/examples/*.toml corpus/scenario/
cp "$root"/crates/truce-cli/tests/golden/generate*.out corpus/scenario/
cp "$root"/crates/truce-cli/tests/golden/import_genius_*.out corpus/scenario/
# Rules: every rule of the example, one file each.
grep -h "^rule = " "$root"/examples/*.toml | sed -e "s/^rule = '//" -e "s/'\$//" |
  awk '{ f = sprintf("corpus/rule/example-%d", NR); printf "%s", $0 > f; close(f) }'
printf 'crimea != "de_jure" && sanctions >= eased -> scope in [full, energy]' > corpus/rule/mixed
# GENIUS: each domain folder as one input, files separated by 0xFF.
for dir in "$root"/crates/truce-genius/tests/fixtures/* "$anac"/*/; do
  [ -d "$dir" ] || continue
  name=$(basename "$dir")
  files=$(ls "$dir"/*.xml 2>/dev/null | sort) || continue
  out=corpus/genius/$name
  : > "$out"
  first=1
  for f in $files; do
    [ $first = 1 ] || printf '\xff' >> "$out"
    cat "$f" >> "$out"
    first=0
  done
done
cp "$root"/examples/*.ledger.jsonl corpus/ledger_jsonl/
# Dates with their precision, rule conditions, several parties, offices.
cat > corpus/ledger_jsonl/precision-and-rules <<'JSONL'
{"type":"source","id":"s","outlet":"o","title":null,"url":null,"published":"2025-04-18"}
{"type":"report","id":"r","source":"s","speaker":{"name":"Umerov"},"via":null,"said_on":"2025-04","words":null,"at":null}
{"type":"person","id":"p","name":"Rustem Umerov","role":"official","roles":[{"role":"Minister of Defence","from":"2023-09-06","until":"2025-07-17"}],"aliases":["Umerov"]}
{"type":"commitment","id":"easter","date":"2025-04-19","party":["russia","ukraine"],"scope":"Easter truce","from":"2025-04-19T18:00+03:00","until":"2025-04-21T00:00+03:00","days":null,"condition":null,"consequence":null,"reports":["r"],"basis":null}
{"type":"commitment","id":"c","date":"2025-03-25","party":"ukraine","scope":"x","from":"2025-03-25","days":30,"condition":{"requires":"rule","rule":"in_force(easter) or (lifted(swift) and not sanctions_lifted(russia, eu)) or agreed(sanctions == lifted) or happened(m)"},"consequence":null,"reports":["r"],"basis":null}
{"type":"event","id":"m","kind":"meeting","date":"2025-04-11/2025-04-12","parties":["us","russia"],"summary":"talks","reports":["r"],"basis":null}
{"type":"violation","id":"v","commitment":"easter","date":"2025-04-19T17:30Z","reported_by":["ukraine","us"],"by":"russia","reports":["r"],"basis":null}
{"type":"sanction","id":"l","date":"2025-04-20","by":"eu","against":"russia","action":"lifted","measure":"swift","reports":["r"],"basis":null}
JSONL
cp "$root"/crates/truce-cli/tests/golden/ledger_export_jsonl.out corpus/ledger_jsonl/export
cp "$root"/crates/truce-cli/tests/golden/ledger_export_csv.out corpus/ledger_csv/export
for a in 'fix.sanctions=free,unchanged' 'deadline=3,10' 'strategy.us=linear;conceder' 'reservation.russia=0.4,0.6' \
         'protocol=mediated,ultimatum' 'sanctions=unchanged' 'ukraine=boulware:0.1,ignore-red-lines' 'time:0.5' '2025-04-19'; do
  printf '%s' "$a" > "corpus/arguments/$(printf '%s' "$a" | tr -c 'a-zA-Z0-9' _)"
done
echo "seeded: $(for d in corpus/*; do printf '%s %s  ' "$(basename "$d")" "$(ls "$d" | wc -l)"; done)"
