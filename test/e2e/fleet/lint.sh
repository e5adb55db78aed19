#!/usr/bin/env bash
# Builds the Ansible collection, installs it into a scratch folder, and checks it the way a user
# would: ansible-lint with the production profile, and ansible-playbook --syntax-check of each example;
# then the modules' unit tests, with the Python ansible itself runs on.
#
# Usage: lint.sh [OUT_DIR]   (OUT_DIR keeps the built archive and the installed collection)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
collection="$(cd "$here/../../../ansible" && pwd -P)"
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
rm -rf "$out/collections" "$out"/tungen-fleet-*.tar.gz
ansible-galaxy collection build --output-path "$out" "$collection"
ansible-galaxy collection install --offline -p "$out/collections" "$out"/tungen-fleet-*.tar.gz
export ANSIBLE_COLLECTIONS_PATH="$out/collections"
cd "$collection"
ansible-lint --profile production --offline --nocolor
for playbook in examples/*/playbook.yml; do
  ansible-playbook --syntax-check -i "$(dirname "$playbook")/inventory.yml" "$playbook"
done
python="$(sed -n '1s/^#! *//p' "$(command -v ansible-playbook)" | cut -d' ' -f1)"
PYTHONPATH="$out/collections" "${python:-python3}" -m unittest discover -s tests/unit -t tests/unit
