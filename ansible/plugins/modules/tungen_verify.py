#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: tungen contributors
# MIT License (see the repository's package.json)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: tungen_verify
short_description: Prove each tunnel of a host carries traffic
description:
  - For each tunnel of the host's bundle, checks the link's kind, settings, state and addresses,
    then runs the probes C(tungen verify) runs (a ping to each peer through the tunnel, and the
    mode's own probes), retrying until they pass or O(timeout) has passed.
  - Fails with one line per tunnel when any tunnel carries no traffic. Changes nothing.
version_added: "0.1.0"
author: tungen contributors
options:
  links:
    description: The C(links) of this host's entry of C(tungen bundle)'s output.
    type: list
    elements: dict
    required: true
  skip_peers:
    description:
      - Spec hosts whose tunnels are not probed (reported as skipped), e.g. hosts that are unreachable in this run.
    type: list
    elements: str
    default: []
  timeout:
    description: Seconds the tunnels may take to carry traffic; checks are retried until then.
    type: int
    default: 30
"""

EXAMPLES = r"""
- name: Ping through every tunnel of this host
  tungen.fleet.tungen_verify:
    links: "{{ tungen_bundle.hosts[tungen_spec_host].links }}"
"""

RETURN = r"""
tunnels:
  description: One entry per tunnel.
  returned: always
  type: list
  elements: dict
  sample: [{"tunnel": "gk1", "mode": "gre", "peer": "node-b", "status": "pass", "attempts": 1, "detail": "ping 10.20.0.2: 3 sent, 3 received"}]
table:
  description: The same as text, one line per tunnel.
  returned: always
  type: str
"""

import re
import subprocess
import threading
import time

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.tungen.fleet.plugins.module_utils.tungen_host import (
    Kernel,
    settings_drift,
    state_drift,
)

COUNTS = re.compile(r"(\d+) packets transmitted, (\d+) (?:packets )?received")


def run(argv, timeout):
    try:
        done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return 124, "", "timed out after %ds" % timeout
    except OSError as error:
        return 127, "", str(error)
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


def probe_once(probe):
    """Runs one probe; returns (ok, what was found)."""
    rc, out, err = run(probe["command"], 60)
    if probe["command"][:1] == ["ping"]:
        counts = COUNTS.search(out)
        found = "%s sent, %s received" % counts.groups() if counts else (err.strip() or out.strip() or "exit %d" % rc)
        return rc == 0, "%s: %s" % (probe["label"], found)
    if rc != 0:
        return False, "%s: exit %d: %s" % (probe["label"], rc, probe.get("failure", ""))
    ok = probe.get("match") is None and out.strip() != "" or probe.get("match") is not None and probe["match"] in out
    return ok, "%s: %s" % (probe["label"], "present" if ok else "not there: %s" % probe.get("failure", ""))


class Prober:
    def __init__(self, kernel, deadline):
        self.kernel = kernel
        self.deadline = deadline
        self.lock = threading.Lock()

    def link_problems(self, link):
        # The Kernel helper runs through the module, which is not meant for several threads at once.
        with self.lock:
            found = self.kernel.link(link["name"])
            problems = settings_drift(link, found)
            if not problems:
                problems = state_drift(link, found, self.kernel.addresses(link["name"]))
        return problems

    def verify(self, link, report):
        attempts = 0
        while True:
            attempts += 1
            problems = self.link_problems(link)
            if problems:
                ok, details = False, ["link %s: %s" % (link["name"], "; ".join(problems))]
            else:
                outcomes = [probe_once(p) for p in link.get("probes") or []]
                ok = all(o[0] for o in outcomes)
                details = [o[1] for o in outcomes] or ["no peer address to ping"]
            if ok or time.time() >= self.deadline:
                report.update(status="pass" if ok else "FAIL", attempts=attempts, detail="; ".join(details))
                return
            time.sleep(1)


def table(rows):
    header = ("tunnel", "mode", "peer", "result", "detail")
    cells = [(r["tunnel"], r["mode"], r["peer"] or "-", r["status"], r["detail"]) for r in rows]
    widths = [max(len(header[i]), max([len(c[i]) for c in cells] or [0])) for i in range(4)]

    def line(c):
        return "  ".join([c[i].ljust(widths[i]) for i in range(4)] + [c[4]]).rstrip()

    return "\n".join([line(header)] + [line(c) for c in cells])


def main():
    module = AnsibleModule(
        argument_spec=dict(
            links=dict(type="list", elements="dict", required=True),
            skip_peers=dict(type="list", elements="str", default=[]),
            timeout=dict(type="int", default=30),
        ),
        supports_check_mode=True,
    )
    prober = Prober(Kernel(module), time.time() + module.params["timeout"])
    rows = []
    threads = []
    for link in module.params["links"]:
        row = {"tunnel": link["name"], "mode": link.get("mode", "?"), "peer": link.get("peerHost")}
        rows.append(row)
        if row["peer"] in module.params["skip_peers"]:
            row.update(status="skip", attempts=0, detail="peer %s is unreachable, failed or not rolled out yet in this run" % row["peer"])
            continue
        thread = threading.Thread(target=prober.verify, args=(link, row))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    text = table(rows)
    failed = [r for r in rows if r["status"] == "FAIL"]
    if failed:
        module.fail_json(
            msg="%d of %d tunnels carry no traffic:\n%s" % (len(failed), len(rows), text),
            tunnels=rows,
            table=text,
            changed=False,
        )
    module.exit_json(changed=False, tunnels=rows, table=text)


if __name__ == "__main__":
    main()
