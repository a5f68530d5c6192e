# Sourced by scripts/crawl and scripts/test: a project virtualenv in .venv, (re)installed
# whenever pyproject.toml changes, so each quick-start command does its own install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ensure_venv() {
    local extras="$1"  # "" or "[dev]"
    local python="${PYTHON:-python3}"
    if ! command -v "$python" >/dev/null 2>&1; then
        echo "error: $python not found; install Python 3.11 or newer (or set PYTHON=...)" >&2
        exit 2
    fi
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        echo "error: $python is $("$python" -V 2>&1); vnnews needs Python 3.11 or newer" >&2
        exit 2
    fi
    if [ ! -x .venv/bin/python ]; then
        echo "creating .venv with $("$python" -V 2>&1)" >&2
        "$python" -m venv .venv
    fi
    local stamp=".venv/.installed${extras}"
    local want
    want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        echo "installing vnnews${extras} into .venv" >&2
        .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}"
        echo "$want" > "$stamp"
    fi
}
