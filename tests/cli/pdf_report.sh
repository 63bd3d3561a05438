#!/usr/bin/env bash
# End-to-end: the PDF council report of the example Landkreis (needs poppler-utils).
source "$(dirname "$0")/lib.sh"

INV="$SRC/examples/landkreis/inventory.yaml"
OUT="$WORK/out1"
expect_exit 0 "$GS" scan --inventory "$INV" --out "$OUT" --as-of 2026-11-23 --no-history \
  --format json,pdf --quiet
[ -s "$OUT/results.json" ] || fail "results.json missing"
[ -s "$OUT/pdf/verbund.pdf" ] || fail "pdf/verbund.pdf missing"

pdftext() { pdftotext -layout -enc UTF-8 "$1" - 2>/dev/null | tr -s ' '; }

# One PDF per municipality (file name = id), with its name, page numbers and an A4 page size.
ids=$(json "' '.join(m['id'] for m in d['municipalities'])" "$OUT/results.json")
[ "$(echo "$ids" | wc -w)" -eq 4 ] || fail "want 4 municipalities, got: $ids"
for id in $ids; do
  pdf="$OUT/pdf/$id.pdf"
  if [ ! -s "$pdf" ]; then fail "pdf/$id.pdf missing"; continue; fi
  name=$(json "[m['name'] for m in d['municipalities'] if m['id']=='$id'][0]" "$OUT/results.json")
  pdftext "$pdf" >"$WORK/$id.txt"
  expect_grep "$name" "$WORK/$id.txt"
  expect_grep "Seite 1 von" "$WORK/$id.txt"
  expect_grep "Die fünf wichtigsten Punkte" "$WORK/$id.txt"
  expect_grep "Bewertungsmethode" "$WORK/$id.txt"
  pdfinfo "$pdf" >"$WORK/$id.info" 2>&1
  expect_grep "595.28 x 841.89 pts (A4)" "$WORK/$id.info"
done

# The roll-up lists all four municipalities and the organisation total.
pdftext "$OUT/pdf/verbund.pdf" >"$WORK/verbund.txt"
for name in "Landratsamt Musterhausen" "Stadt Bergheim" "Gemeinde Talwiesen" "Markt Lindenau" \
  "Gesamt (Verbund)" "Seite 1 von"; do
  expect_grep "$name" "$WORK/verbund.txt"
done

# The landratsamt runs Server 2012 R2 after its ESU: listed among the systems out of support.
expect_grep "Systeme, die aus der Wartung fallen" "$WORK/landratsamt.txt"
expect_grep "Ampel: Rot" "$WORK/landratsamt.txt"

finish
