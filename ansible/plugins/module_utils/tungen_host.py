# -*- coding: utf-8 -*-
# Copyright: tungen contributors
# MIT License (see the repository's package.json)
"""What the tungen modules share on a target: reading the kernel's links, comparing them
with a bundle's expectations, the host's tungen lock, and file rules (only files that
start with tungen's header are replaced or removed). Standard library only."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import fcntl
import ipaddress
import json
import os
import socket
import time

BUNDLE_FORMAT = "tungen-bundle/1"
LOCK_FILE = "/run/tungen.lock"
INTERFACES_FILE = "/etc/network/interfaces"


def as_text(value):
    """A value as tungen writes it in JSON: booleans in lower case."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def same_value(found, expected):
    if isinstance(found, bool) or isinstance(expected, bool):
        return as_text(found) == as_text(expected)
    if type(found) is type(expected):
        return found == expected
    return as_text(found) == as_text(expected)


def same_address(a, b):
    try:
        return ipaddress.ip_address(a) == ipaddress.ip_address(b)
    except ValueError:
        return False


def read_text(path):
    try:
        with open(path, "r", encoding="utf-8") as handle:
            return handle.read()
    except (IOError, OSError) as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            return None
        raise


def is_generated(contents, header):
    return contents is not None and contents.startswith(header)


def write_file(path, contents):
    """Writes beside the file, syncs, then renames, so a reader never sees half a file."""
    folder = os.path.dirname(path)
    if not os.path.isdir(folder):
        os.makedirs(folder, 0o755)
    temp = os.path.join(folder, ".%s.tungen-%d.tmp" % (os.path.basename(path), os.getpid()))
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(contents)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(temp, 0o644)
    os.rename(temp, path)


def remove_file(path):
    try:
        os.unlink(path)
    except OSError as error:
        if error.errno != errno.ENOENT:
            raise


def sync_folder(path):
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def interface_of(target, contents):
    """The interface a generated file configures, read from its contents."""
    if contents is None:
        return None
    key = "Name=" if target == "networkd" else "iface "
    for line in contents.splitlines():
        line = line.strip()
        if line.startswith(key):
            words = line[len(key):].split()
            return words[0] if words else None
    return None


def settings(contents):
    """The lines that configure something: comments (the header) do not count."""
    if contents is None:
        return None
    lines = [line.strip() for line in contents.splitlines()]
    return "\n".join(line for line in lines if line and not line.startswith("#"))


def sources_folder(interfaces, folder, sample):
    """Whether /etc/network/interfaces includes the folder's files (source GLOB or source-directory DIR)."""
    import fnmatch

    target = os.path.join(folder, sample)
    for line in interfaces.splitlines():
        words = line.split()
        if len(words) < 2:
            continue
        path = os.path.normpath(os.path.join(os.path.dirname(INTERFACES_FILE), words[1]))
        if words[0] == "source" and fnmatch.fnmatchcase(target, path) and "/" not in target[len(folder) + 1:]:
            return True
        if words[0] == "source-directory" and path.rstrip("/") == folder.rstrip("/"):
            return True
    return False


class HostLock:
    """flock(2) on tungen's lock file, so the module and `tungen apply` never change a host at once.
    The holder is written into the file for people (and for tungen versions that read it)."""

    def __init__(self, command, wait_seconds=60):
        self.command = command
        self.wait_seconds = wait_seconds
        self.fd = None

    def __enter__(self):
        folder = os.path.dirname(LOCK_FILE)
        if not os.path.isdir(folder):
            os.makedirs(folder, 0o755)
        self.fd = os.open(LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.time() + self.wait_seconds
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except (IOError, OSError) as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES) or time.time() >= deadline:
                    os.close(self.fd)
                    self.fd = None
                    raise LockBusy(
                        "another tungen is changing this host (%s is locked); try again when it has finished" % LOCK_FILE
                    )
                time.sleep(0.5)
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": self.command,
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        os.ftruncate(self.fd, 0)
        os.write(self.fd, (json.dumps(holder) + "\n").encode("utf-8"))
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        return False


class LockBusy(Exception):
    pass


class Kernel:
    """Reads links and addresses with iproute2's JSON output, through the module's run_command."""

    def __init__(self, module):
        self.module = module

    def run(self, argv, check=False):
        rc, out, err = self.module.run_command(argv)
        if check and rc != 0:
            raise CommandFailed(argv, rc, out, err)
        return rc, out, err

    def link(self, name):
        rc, out, err = self.run(["ip", "-details", "-json", "link", "show", "dev", name])
        if rc != 0:
            return None
        try:
            links = json.loads(out or "[]")
        except ValueError:
            return None
        return links[0] if links else None

    def addresses(self, name):
        rc, out, err = self.run(["ip", "-json", "address", "show", "dev", name])
        if rc != 0:
            return []
        try:
            entries = json.loads(out or "[]")
        except ValueError:
            return []
        return entries[0].get("addr_info", []) if entries else []

    def module_loaded(self, name):
        if os.path.isdir(os.path.join("/sys/module", name)):
            return True
        builtin = read_text(os.path.join("/lib/modules", os.uname()[2], "modules.builtin")) or ""
        return any(line.rsplit("/", 1)[-1].split(".ko")[0] == name for line in builtin.splitlines())


class CommandFailed(Exception):
    def __init__(self, argv, rc, out, err):
        self.argv = argv
        self.rc = rc
        message = (err or out or "").strip().splitlines()
        Exception.__init__(
            self, "%s exited %d%s" % (" ".join(argv), rc, (": " + message[-1]) if message else "")
        )


def describe_link(link):
    """The parts of a kernel link that tungen compares, one per line, for diffs."""
    if link is None:
        return "(no link)\n"
    info = link.get("linkinfo") or {}
    lines = ["kind %s" % info.get("info_kind", "none")]
    for key in sorted((info.get("info_data") or {}).keys()):
        lines.append("%s %s" % (key, as_text(info["info_data"][key])))
    lines.append("mtu %s" % link.get("mtu"))
    lines.append("state %s" % ("up" if "UP" in link.get("flags", []) else "down"))
    return "\n".join(lines) + "\n"


def describe_expected(expected, found=None):
    """The link a bundle expects, in describe_link's words; keys the kernel adds are taken from `found`."""
    info = (found or {}).get("linkinfo") or {}
    data = dict(info.get("info_data") or {})
    data.update(expected.get("data") or {})
    lines = ["kind %s" % expected["kind"]]
    for key in sorted(data.keys()):
        lines.append("%s %s" % (key, as_text(data[key])))
    lines.append("mtu %s" % (expected.get("mtu") or (found or {}).get("mtu", "default")))
    lines.append("state up")
    return "\n".join(lines) + "\n"


def settings_drift(expected, link):
    """How the link's kind and settings differ from the bundle's: a reason to recreate it."""
    if link is None:
        return ["missing"]
    info = link.get("linkinfo") or {}
    problems = []
    if info.get("info_kind") != expected["kind"]:
        return ["kind %s, expected %s" % (info.get("info_kind", "none"), expected["kind"])]
    data = info.get("info_data") or {}
    for key in sorted((expected.get("data") or {}).keys()):
        want = expected["data"][key]
        if key not in data:
            problems.append("%s missing, expected %s" % (key, as_text(want)))
        elif not same_value(data[key], want):
            problems.append("%s %s, expected %s" % (key, as_text(data[key]), as_text(want)))
    if expected.get("mtu") and link.get("mtu") != expected["mtu"]:
        problems.append("mtu %s, expected %s" % (link.get("mtu"), expected["mtu"]))
    return problems


def state_drift(expected, link, addresses):
    """How a link of the right kind is not in service: down, or addresses missing."""
    problems = []
    flags = link.get("flags", [])
    if "UP" not in flags or link.get("operstate") not in ("UP", "UNKNOWN"):
        problems.append("operstate %s, flags %s" % (link.get("operstate"), ",".join(flags) or "none"))
    for wanted in expected.get("addresses") or []:
        match = None
        for found in addresses:
            if same_address(found.get("local", ""), wanted["address"]):
                match = found
                break
        text = "%s/%s" % (wanted["address"], wanted["prefix"])
        if wanted.get("peer"):
            text += " peer %s" % wanted["peer"]
        if match is None:
            problems.append("address %s not configured" % text)
        elif match.get("prefixlen") != wanted["prefix"] or (
            wanted.get("peer") and not same_address(match.get("address", ""), wanted["peer"])
        ):
            problems.append("address %s configured as %s/%s" % (text, match.get("local"), match.get("prefixlen")))
    return problems
