# Sourced by scripts/test: the programs the tests drive for real — Chromium (the browse page
# in a headless browser), newsboat (a feed reader subscribing to a feed) and PostgreSQL (the
# archive on a real server). Installed from Debian's packages when missing and this user may;
# otherwise the command says what to install.
ensure_system_packages() {
    local missing=()
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    command -v newsboat >/dev/null 2>&1 || missing+=(newsboat)
    if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        missing+=(postgresql)
    fi
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo="sudo"
        else
            echo "error: the tests need ${missing[*]}; install them (Debian/Ubuntu:" \
                 "sudo apt-get install ${missing[*]}) and run scripts/test again" >&2
            exit 2
        fi
    fi
    echo "installing ${missing[*]} from Debian's packages" >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "${missing[@]}" >/dev/null \
        || { $sudo apt-get update -q >/dev/null && $sudo env DEBIAN_FRONTEND=noninteractive \
             apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; } \
        || { echo "error: could not install ${missing[*]}" >&2; exit 2; }
}
