#!/usr/bin/env bash
# System packages the test suite starts for real: PostgreSQL (store tests run on SQLite and PostgreSQL)
# Chromium (the web UI tests drive /usr/bin/chromium headless through Playwright; never
# `playwright install`) and a Java runtime (the Spark tests run PySpark in local mode).
# Installs them with apt when missing (as root, as on CI); otherwise says what to install.
set -euo pipefail
need=()
compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v java >/dev/null || need+=(default-jre-headless)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "the tests need these Debian packages: ${need[*]} (run: sudo apt-get install -y ${need[*]})" >&2
  exit 1
fi
echo "installing ${need[*]} ..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
