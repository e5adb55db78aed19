#!/usr/bin/env bash
# The real-kernel suite: install what it needs (apt packages, the Debian
# kernel), then boot the guest pairs and run every case, then the fleet
# (three guests driven by ansible-playbook). Needs root.
#
# TUNGEN_E2E_SUITES picks suites (default "pairs fleet"); arguments go to the pair suite.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
bash "$here/vm/prepare.sh"
suites=" ${TUNGEN_E2E_SUITES:-pairs fleet} "
status=0
if [[ "$suites" == *" pairs "* ]]; then node "$here/suite.mjs" "$@" || status=$?; fi
if [[ "$suites" == *" fleet "* ]]; then node "$here/fleet/suite.mjs" || status=$?; fi
exit "$status"
