#!/usr/bin/env python3
"""A real OpenSSH sshd (Debian's openssh-server) for the tests of ssh steps,
started on a free 127.0.0.1 port in a directory of the test's own.

It logs in one user, "atiotest" (uid and gid 65534, a home of its own), with a
password and with an ed25519 key; a second key has a passphrase. The user
exists only for this sshd: sshd runs in a private mount namespace where
/etc/passwd and /etc/shadow are copies with that user added, so the machine's
own accounts are never changed. Needs root (the mount namespace, sshd's
privilege separation); nothing else runs as root.

As a module: Sshd(dir).start() ... .stop(). As a command (for C++ tests):
  sshd_server.py start DIR   starts sshd in the background, writes
                             DIR/sshd.json (port, user, password, keys,
                             known_hosts line) and prints "ready"
  sshd_server.py stop DIR    stops it
Python 3 standard library only; 127.0.0.1 only; every wait has a deadline.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

USER = "atiotest"
PASSWORD = "correct horse battery staple"
PASSPHRASE = "key passphrase 42"
UID = 65534


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def keygen(path, passphrase=""):
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "", "-f", path],
                   check=True, timeout=30)


class Sshd:
    def __init__(self, workdir):
        self.dir = os.path.abspath(workdir)
        self.port = 0
        self.pid = 0

    def path(self, name):
        return os.path.join(self.dir, name)

    def start(self):
        if os.geteuid() != 0:
            raise RuntimeError("the test sshd needs root (a mount namespace and privilege separation)")
        os.makedirs(self.dir, exist_ok=True)
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # sshd's privilege separation
        # What sshd reads as the user -- its home and authorized_keys -- in a directory the
        # user can reach (a test's temporary directory is private to root).
        public = tempfile.mkdtemp(prefix="atio-sshd-")
        os.chmod(public, 0o755)
        with open(self.path("public-path"), "w") as f:
            f.write(public)
        home = self.home()
        os.mkdir(home, 0o755)
        os.chown(home, UID, UID)
        keygen(self.path("host_key"))
        keygen(self.path("user_key"))
        keygen(self.path("user_key_locked"), PASSPHRASE)
        keygen(self.path("other_key"))  # a key the server does not know
        with open(self.authorized_keys(), "w") as out:
            for key in ("user_key.pub", "user_key_locked.pub"):
                out.write(self.read(key))
        digest = subprocess.run(["openssl", "passwd", "-6", "-stdin"], input=PASSWORD, text=True,
                                capture_output=True, check=True, timeout=30).stdout.strip()
        with open("/etc/passwd") as src, open(self.path("passwd"), "w") as out:
            out.write(src.read() + "%s:x:%d:%d:atio test:%s:/bin/sh\n" % (USER, UID, UID, home))
        with open("/etc/shadow") as src, open(self.path("shadow"), "w") as out:
            out.write(src.read() + "%s:%s:19000:0:99999:7:::\n" % (USER, digest))
        os.chmod(self.path("shadow"), 0o600)
        self.port = free_port()
        with open(self.path("sshd_config"), "w") as out:
            out.write("\n".join([
                "Port %d" % self.port,
                "ListenAddress 127.0.0.1",
                "HostKey " + self.path("host_key"),
                "PidFile " + self.path("sshd.pid"),
                "AuthorizedKeysFile " + self.authorized_keys(),
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication yes",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin no",
                "AllowUsers " + USER,
                "MaxStartups 100",
                "MaxSessions 100",
                "LogLevel VERBOSE",
                ""]))
        script = ("mount --bind %s /etc/passwd && mount --bind %s /etc/shadow && "
                  "exec /usr/sbin/sshd -f %s -E %s" % (self.path("passwd"), self.path("shadow"),
                                                       self.path("sshd_config"), self.path("sshd.log")))
        subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                       check=True, timeout=30)
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.settimeout(2)
                    if s.recv(64).startswith(b"SSH-2.0"):
                        break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError("sshd did not start: " + self.log())
        self.pid = int(self.read("sshd.pid").strip())
        return self

    def read(self, name):
        with open(self.path(name)) as f:
            return f.read()

    def log(self):
        try:
            return self.read("sshd.log")
        except OSError:
            return ""

    def public(self):
        with open(self.path("public-path")) as f:
            return f.read()

    def home(self):
        return os.path.join(self.public(), "home")

    def authorized_keys(self):
        return os.path.join(self.public(), "authorized_keys")

    def known_hosts_line(self):
        kind, key = self.read("host_key.pub").split()[:2]
        return "[127.0.0.1]:%d %s %s" % (self.port, kind, key)

    def info(self):
        return {
            "port": self.port,
            "user": USER,
            "password": PASSWORD,
            "private_key": self.read("user_key"),
            "locked_key": self.read("user_key_locked"),
            "passphrase": PASSPHRASE,
            "other_key": self.read("other_key"),
            "known_hosts_line": self.known_hosts_line(),
            "home": self.home(),
        }

    def stop(self):
        pid_file = self.path("sshd.pid")
        if not self.pid and os.path.exists(pid_file):
            self.pid = int(self.read("sshd.pid").strip())
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            self.pid = 0
        if os.path.exists(self.path("public-path")):
            shutil.rmtree(self.public(), ignore_errors=True)


def main(argv):
    if len(argv) != 3 or argv[1] not in ("start", "stop"):
        sys.stderr.write("usage: sshd_server.py start|stop DIR\n")
        return 2
    server = Sshd(argv[2])
    if argv[1] == "stop":
        server.stop()
        return 0
    server.start()
    with open(server.path("sshd.json"), "w") as out:
        json.dump(server.info(), out)
    print("ready", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
