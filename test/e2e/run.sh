#!/usr/bin/env bash
# The real-kernel suite: install what it needs (apt packages, the Debian
# kernel), then boot the guest pairs and run every case. Needs root.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
bash "$here/vm/prepare.sh"
exec node "$here/suite.mjs" "$@"
