#!/usr/bin/env bash
# Rebuild the single initial migration from the models (only while nothing is deployed),
# keeping the hand-written audit-log triggers.
set -euo pipefail
cd "$(dirname "$0")/.."
db=$(mktemp -d)/schema.sqlite3
old=$(ls migrations/versions/*_initial_schema.py)
mv "$old" "$old.bak"
FLASK_SQLALCHEMY_DATABASE_URI="sqlite:///$db" .venv/bin/flask --app app db migrate -m "initial schema" >/dev/null 2>&1 || { mv "$old.bak" "$old"; exit 1; }
new=$(ls migrations/versions/*_initial_schema.py)
.venv/bin/python - "$new" "$old.bak" <<'PY'
import sys
new, old = sys.argv[1], sys.argv[2]
old_text = open(old).read()
start = old_text.index("    # The audit log is append-only")
end = old_text.index("def downgrade")
block = old_text[start:end].rstrip() + "\n\n\n"
text = open(new).read()
idx = text.index("def downgrade")
text = text[:idx].rstrip() + "\n\n" + block + text[idx:]
open(new, "w").write(text)
PY
rm "$old.bak"
echo "regenerated $new"
