#!/usr/bin/env bash
# Installs Debian's chromium, the browser test/dashboard-page.spec.ts drives
# through playwright-core (which downloads no browser of its own), unless it
# is there already. Idempotent: .ci/run calls it before the tests. Needs root
# or sudo, and apt (CI machines are Debian 12).
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  echo "chromium is installed: $(chromium --version 2>/dev/null || echo 'version unknown')"
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then as_root=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q chromium
echo "chromium installed: $(chromium --version 2>/dev/null || echo 'version unknown')"
