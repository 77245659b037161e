#!/usr/bin/env bash
# Installs everything the product and its tests need, on a fresh Debian machine with Python 3.11:
# the Debian libraries (WeasyPrint's, Chromium for the browser tests, Node.js for the front-end
# assets) when missing, a virtual environment with the pinned Python packages, and the pinned npm
# packages. Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core  # WeasyPrint
  poppler-utils                                                          # pdftotext, for tests
  chromium                                                               # browser tests
  python3-venv nodejs npm
)
missing=()
for package in "${debian_packages[@]}"; do
  case "$package" in
    python3-venv) python3 -c "import venv, ensurepip" 2>/dev/null && continue ;;
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.requirements.lock
if ! cmp -s requirements.lock "$stamp"; then
  echo "Installing Python packages from requirements.lock"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.lock
  cp requirements.lock "$stamp"
fi

if ! cmp -s package-lock.json node_modules/.sfo-package-lock.json; then
  echo "Installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --silent
  cp package-lock.json node_modules/.sfo-package-lock.json
  rm -rf static/vendor
fi
if [ ! -f static/vendor/govuk/govuk-frontend.min.css ] || [ ! -d build/public/assets ]; then
  npm run --silent build
fi
