#!/bin/bash
# Regenerates fixtures/tracebacks/NAME.expected by running each NAME.py under
# CPython 3.11 from its own folder: stdout and stderr together, then
# "[exit N]", with directories stripped from traceback file paths and
# nothing else changed (unlike the conformance oracle, the ~~~^^^ lines stay).
# Usage: tools/traceback-oracle.sh [DIR]   (default fixtures/tracebacks)
set -eu
dir=${1:-$(dirname "$0")/../fixtures/tracebacks}
py=${PY311:-$(pyenv root)/versions/3.11.7/bin/python}
cd "$dir"
for f in *.py; do
  name=${f%.py}
  { set +e; "$py" -u "$f" 2>&1; echo "[exit $?]"; } | sed -E 's#File "([^"]*/)?([^"/]+)"#File "\2"#' > "$name.expected"
done
