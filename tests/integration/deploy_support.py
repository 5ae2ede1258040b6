"""Reads what deploy/ and the repository root describe: the Dockerfile's stages, the compose
file, the Kubernetes objects, and what `atio serve` accepts (for test_deploy_manifests.py)."""
import glob
import os
import re
import shlex
import subprocess

import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
K8S = os.path.join(REPO, "deploy", "kubernetes")
SECRET_TEMPLATES = "secrets.example.yaml"
WORKLOAD_KINDS = ("Deployment", "StatefulSet")


def repo_path(*parts):
    return os.path.join(REPO, *parts)


def read(path):
    with open(path) as f:
        return f.read()


def atio_version():
    m = re.search(r'kVersion = "([^"]+)"', read(repo_path("src", "atio", "core", "version.h")))
    return m.group(1)


def yaml_files():
    """Every YAML file of the deployment: deploy/**, and the compose file."""
    files = glob.glob(os.path.join(REPO, "deploy", "**", "*.y*ml"), recursive=True)
    return sorted(files + [repo_path("docker-compose.yml")])


def load_yaml_all(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def k8s_objects(include_templates=False):
    """(file name, object) for every Kubernetes object under deploy/kubernetes."""
    out = []
    for path in sorted(glob.glob(os.path.join(K8S, "*.yaml"))):
        name = os.path.basename(path)
        if name == "kustomization.yaml" or (name == SECRET_TEMPLATES and not include_templates):
            continue
        out.extend((name, doc) for doc in load_yaml_all(path))
    return out


def secret_templates():
    """name -> {key: value} of the Secret templates."""
    out = {}
    for doc in load_yaml_all(os.path.join(K8S, SECRET_TEMPLATES)):
        values = dict(doc.get("stringData") or {})
        values.update(doc.get("data") or {})
        out[doc["metadata"]["name"]] = values
    return out


def workloads():
    return [o for _, o in k8s_objects() if o["kind"] in WORKLOAD_KINDS]


def pod_labels(workload):
    return workload["spec"]["template"]["metadata"]["labels"]


def containers(workload):
    spec = workload["spec"]["template"]["spec"]
    return spec.get("containers", []) + spec.get("initContainers", [])


def selects(selector, labels):
    """Whether a matchLabels selector (dict) selects pods with `labels`."""
    return all(labels.get(k) == v for k, v in (selector or {}).items())


def selected_workloads(selector):
    return [w for w in workloads() if selects(selector, pod_labels(w))]


def container_ports(workload):
    """port name -> number, and the numbers, of a workload's containers."""
    named, numbers = {}, set()
    for c in containers(workload):
        for p in c.get("ports", []):
            numbers.add(p["containerPort"])
            if "name" in p:
                named[p["name"]] = p["containerPort"]
    return named, numbers


def compose():
    return load_yaml_all(repo_path("docker-compose.yml"))[0]


class Dockerfile:
    """The instructions of the Dockerfile, by stage (continuation lines joined)."""

    def __init__(self, path=None):
        text = read(path or repo_path("Dockerfile")).replace("\\\n", " ")
        self.stages = []  # [{"name", "image", "instructions": [(op, args)]}]
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            op, _, args = line.partition(" ")
            op = op.upper()
            if op == "FROM":
                words = args.split()
                name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
                self.stages.append({"name": name, "image": words[0], "instructions": []})
            elif self.stages:
                self.stages[-1]["instructions"].append((op, args.strip()))

    def final(self):
        return self.stages[-1]

    def all(self, op, stage=None):
        stages = [stage] if stage else self.stages
        return [a for s in stages for o, a in s["instructions"] if o == op]

    @staticmethod
    def copy_parts(args):
        """(--from stage or None, sources, destination) of a COPY's arguments."""
        if args.startswith("["):
            import json
            words = json.loads(args)
        else:
            words = shlex.split(args)
        source_stage = None
        rest = []
        for w in words:
            if w.startswith("--from="):
                source_stage = w.split("=", 1)[1]
            elif not w.startswith("--"):
                rest.append(w)
        return source_stage, rest[:-1], rest[-1]

    def runtime_packages(self):
        """The packages the final stage installs with apt-get install."""
        pkgs = set()
        for run in self.all("RUN", self.final()):
            for m in re.finditer(r"apt-get install ((?:-\S+\s+)*)([^&;]+)", run):
                pkgs.update(w for w in m.group(2).split() if not w.startswith("-"))
        return pkgs

    def image_path_to_repo(self):
        """Where each file the final stage COPYs from the build context lives in the
        repository: image path -> repository path."""
        out = {}
        for args in self.all("COPY", self.final()):
            stage, sources, dest = self.copy_parts(args)
            if stage is None and len(sources) == 1:
                out[dest.rstrip("/")] = repo_path(sources[0].rstrip("/"))
        return out


def serve_env_names(atio):
    """Every ATIO_* variable `atio serve --help` lists."""
    text = subprocess.run([atio, "serve", "--help"], capture_output=True, text=True,
                          timeout=30).stdout
    return set(re.findall(r"\(Env:(ATIO_[A-Z0-9_]+)\)", text))


def getenv_names():
    """ATIO_* variables atio's sources read with getenv."""
    names = set()
    for path in glob.glob(repo_path("src", "**", "*.cc"), recursive=True) + \
            glob.glob(repo_path("src", "**", "*.h"), recursive=True):
        names.update(re.findall(r'getenv\("(ATIO_[A-Z0-9_]+)"\)', read(path)))
    return names


def atio_names(text):
    return set(re.findall(r"\bATIO_[A-Z0-9_]+\b", text))


def dockerignore_patterns():
    lines = read(repo_path(".dockerignore")).splitlines()
    return [l.strip().rstrip("/") for l in lines if l.strip() and not l.startswith("#")]


def ignored_by_docker(rel_path, patterns):
    import fnmatch
    parts = rel_path.strip("/").split("/")
    for pat in patterns:
        for i in range(1, len(parts) + 1):
            prefix = "/".join(parts[:i])
            if fnmatch.fnmatch(prefix, pat) or fnmatch.fnmatch(prefix, pat.lstrip("*/")):
                return True
    return False
