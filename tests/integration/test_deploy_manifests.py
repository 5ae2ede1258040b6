#!/usr/bin/env python3
"""The deployment checked without Docker or Kubernetes: the Dockerfile, docker-compose.yml and
deploy/kubernetes/ parse and agree with each other and with atio (its routes, its environment
variables, the libraries it links), and the container's entry command runs the built binary.

Usage: test_deploy_manifests.py /path/to/atio [unittest options]

Python 3 with python3-yaml; every wait has a deadline; only 127.0.0.1 is used.
"""
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import deploy_support as d  # noqa: E402
from atio_process import AtioServer, postgres_database  # noqa: E402

ATIO = None

# What each kind must have besides apiVersion, kind and metadata.name (dotted paths; "a|b":
# one of them), for the API versions this deployment uses.
REQUIRED = {
    ("v1", "Namespace"): [],
    ("v1", "ConfigMap"): ["data"],
    ("v1", "Secret"): ["data|stringData"],
    ("v1", "Service"): ["spec.ports", "spec.selector"],
    ("apps/v1", "Deployment"): ["spec.replicas", "spec.selector.matchLabels",
                                "spec.template.metadata.labels", "spec.template.spec.containers"],
    ("apps/v1", "StatefulSet"): ["spec.serviceName", "spec.selector.matchLabels",
                                 "spec.template.metadata.labels",
                                 "spec.template.spec.containers", "spec.volumeClaimTemplates"],
    ("policy/v1", "PodDisruptionBudget"): ["spec.selector.matchLabels",
                                           "spec.minAvailable|spec.maxUnavailable"],
    ("networking.k8s.io/v1", "Ingress"): ["spec.rules", "spec.tls"],
    ("networking.k8s.io/v1", "NetworkPolicy"): ["spec.podSelector", "spec.policyTypes"],
}


def dig(obj, dotted):
    for part in dotted.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
    return obj


def image_parts(image):
    name, _, tag = image.rpartition(":") if ":" in image.split("/")[-1] else (image, "", "")
    return name, tag


def every_image():
    """(where, image) of every image the deployment names."""
    out = []
    for f, o in d.k8s_objects():
        if o["kind"] in d.WORKLOAD_KINDS:
            out += [(f, c["image"]) for c in d.containers(o)]
    out += [("docker-compose.yml", s["image"]) for s in d.compose()["services"].values()]
    out += [("Dockerfile", s["image"]) for s in d.Dockerfile().stages]
    return out


def http_probes():
    """(where, path, port) of every HTTP health check of the deployment."""
    out = []
    for f, o in d.k8s_objects():
        if o["kind"] not in d.WORKLOAD_KINDS:
            continue
        for c in d.containers(o):
            named = {p.get("name"): p["containerPort"] for p in c.get("ports", [])}
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                get = dig(c, probe + ".httpGet")
                if get:
                    port = named.get(get["port"], get["port"])
                    out.append(("%s %s %s" % (f, c["name"], probe), get["path"], port))
    urls = [("Dockerfile HEALTHCHECK", a) for a in d.Dockerfile().all("HEALTHCHECK")]
    for name, s in d.compose()["services"].items():
        test = dig(s, "healthcheck.test")
        if test:
            urls.append(("compose %s" % name, " ".join(test)))
    for where, text in urls:
        for url in re.findall(r"https?://[^\s\"']+", text):
            u = urllib.parse.urlsplit(url)
            out.append((where, u.path, u.port))
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ParseTest(unittest.TestCase):
    def test_every_yaml_file_parses(self):
        files = d.yaml_files()
        self.assertGreater(len(files), 8)
        for path in files:
            with self.subTest(path=os.path.relpath(path, d.REPO)):
                self.assertTrue(d.load_yaml_all(path))


class KubernetesTest(unittest.TestCase):
    def test_each_object_has_what_its_kind_requires(self):
        objects = d.k8s_objects(include_templates=True)
        kinds = {o["kind"] for _, o in objects}
        for kind in ("Namespace", "Deployment", "StatefulSet", "Service", "Ingress",
                     "PodDisruptionBudget", "NetworkPolicy", "Secret", "ConfigMap"):
            self.assertIn(kind, kinds)
        for f, o in objects:
            with self.subTest(file=f, kind=o.get("kind"), name=dig(o, "metadata.name")):
                self.assertTrue(o.get("apiVersion") and o.get("kind") and dig(o, "metadata.name"))
                key = (o["apiVersion"], o["kind"])
                self.assertIn(key, REQUIRED, "unexpected apiVersion/kind")
                for need in REQUIRED[key]:
                    self.assertTrue(any(dig(o, alt) is not None for alt in need.split("|")), need)
                if o["kind"] != "Namespace":
                    self.assertEqual(dig(o, "metadata.namespace"), "atio")
                if o["kind"] in d.WORKLOAD_KINDS:
                    self.assertTrue(d.selects(o["spec"]["selector"]["matchLabels"], d.pod_labels(o)))
                    for c in d.containers(o):
                        self.assertTrue(c.get("name") and c.get("image"))

    def test_kustomization_lists_every_manifest_but_the_secret_templates(self):
        k = d.load_yaml_all(os.path.join(d.K8S, "kustomization.yaml"))[0]
        self.assertEqual(k["kind"], "Kustomization")
        files = {os.path.basename(p) for p in os.listdir(d.K8S) if p.endswith(".yaml")}
        self.assertEqual(set(k["resources"]), files - {"kustomization.yaml", d.SECRET_TEMPLATES})
        self.assertEqual(k["namespace"], "atio")
        self.assertEqual({(i["name"], i["newTag"]) for i in k["images"]},
                         {("atio", d.atio_version())})

    def test_images_are_the_one_built_here_or_official_ones_with_a_pinned_tag(self):
        version = d.atio_version()
        for where, image in every_image():
            with self.subTest(where=where, image=image):
                name, tag = image_parts(image)
                self.assertTrue(tag, "no tag")
                self.assertNotIn(tag, ("latest", "stable", "slim", "stable-slim"))
                if name == "atio":
                    self.assertEqual(tag, version)
                else:
                    # An official Docker Hub image: no registry, no namespace.
                    self.assertNotIn("/", name)
                    self.assertIn(name, ("debian", "postgres"))
        compose_atio = d.compose()["services"]["atio"]
        self.assertEqual(compose_atio["image"], "atio:" + version)
        self.assertTrue(os.path.isfile(d.repo_path(compose_atio["build"]["context"],
                                                   compose_atio["build"]["dockerfile"])))
        self.assertIn('org.opencontainers.image.version="%s"' % version,
                      " ".join(d.Dockerfile().all("LABEL")))

    def test_atio_runs_as_the_issue_asks(self):
        [deploy] = [o for _, o in d.k8s_objects() if o["kind"] == "Deployment"]
        self.assertEqual(deploy["spec"]["replicas"], 3)
        pod = deploy["spec"]["template"]["spec"]
        self.assertTrue(pod["securityContext"]["runAsNonRoot"])
        [c] = pod["containers"]
        self.assertEqual(dig(c, "readinessProbe.httpGet.path"), "/readyz")
        self.assertEqual(dig(c, "livenessProbe.httpGet.path"), "/healthz")
        self.assertIsNotNone(c.get("startupProbe"))
        for kind in ("requests", "limits"):
            self.assertEqual(set(c["resources"][kind]), {"cpu", "memory"})
        self.assertTrue(c["securityContext"]["readOnlyRootFilesystem"])
        # Everything atio writes is a volume: the data directory and /tmp.
        mounts = {m["mountPath"]: m["name"] for m in c["volumeMounts"]}
        volumes = {v["name"]: v for v in pod["volumes"]}
        for path in ("/var/lib/atio", "/tmp"):
            self.assertIn("emptyDir", volumes[mounts[path]])
        self.assertEqual(set(mounts.values()) - set(volumes), set())

    def test_every_pod_meets_the_restricted_pod_security_standard(self):
        [ns] = [o for _, o in d.k8s_objects() if o["kind"] == "Namespace"]
        self.assertEqual(ns["metadata"]["labels"]["pod-security.kubernetes.io/enforce"],
                         "restricted")
        for w in d.workloads():
            pod = w["spec"]["template"]["spec"]
            with self.subTest(workload=w["metadata"]["name"]):
                self.assertTrue(pod["securityContext"]["runAsNonRoot"])
                self.assertNotEqual(pod["securityContext"].get("runAsUser"), 0)
                self.assertEqual(pod["securityContext"]["seccompProfile"]["type"], "RuntimeDefault")
                for c in d.containers(w):
                    sc = c["securityContext"]
                    self.assertIs(sc["allowPrivilegeEscalation"], False)
                    self.assertEqual(sc["capabilities"]["drop"], ["ALL"])

    def test_the_budget_keeps_two_of_the_three_nodes(self):
        [pdb] = [o for _, o in d.k8s_objects() if o["kind"] == "PodDisruptionBudget"]
        [target] = d.selected_workloads(pdb["spec"]["selector"]["matchLabels"])
        self.assertEqual(target["kind"], "Deployment")
        self.assertEqual(pdb["spec"]["minAvailable"], 2)
        self.assertLess(pdb["spec"]["minAvailable"], target["spec"]["replicas"])

    def test_services_select_their_workloads_and_ports(self):
        services = {o["metadata"]["name"]: o for _, o in d.k8s_objects() if o["kind"] == "Service"}
        for name, svc in services.items():
            with self.subTest(service=name):
                [target] = d.selected_workloads(svc["spec"]["selector"])
                named, numbers = d.container_ports(target)
                for p in svc["spec"]["ports"]:
                    t = p.get("targetPort", p["port"])
                    self.assertTrue(t in named or t in numbers, t)
        for w in d.workloads():
            if w["kind"] == "StatefulSet":
                svc = services[w["spec"]["serviceName"]]
                self.assertEqual(svc["spec"].get("clusterIP"), "None")  # headless
                self.assertTrue(d.selects(svc["spec"]["selector"], d.pod_labels(w)))
        [ing] = [o for _, o in d.k8s_objects() if o["kind"] == "Ingress"]
        for rule in ing["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                svc = services[backend["name"]]
                self.assertIn(backend["port"]["name"], [p["name"] for p in svc["spec"]["ports"]])
        for tls in ing["spec"]["tls"]:
            self.assertIn(tls["secretName"], d.secret_templates())
            self.assertEqual(set(tls["hosts"]), {r["host"] for r in ing["spec"]["rules"]})

    def test_network_policies_select_the_pods_they_mean(self):
        policies = {o["metadata"]["name"]: o for _, o in d.k8s_objects()
                    if o["kind"] == "NetworkPolicy"}
        by_name = {w["metadata"]["name"]: w for w in d.workloads()}
        for name, pol in policies.items():
            with self.subTest(policy=name):
                selector = pol["spec"]["podSelector"].get("matchLabels")
                if not selector:  # the namespace's default deny
                    self.assertEqual(set(pol["spec"]["policyTypes"]), {"Ingress", "Egress"})
                    self.assertNotIn("ingress", pol["spec"])
                    self.assertNotIn("egress", pol["spec"])
                    continue
                targets = d.selected_workloads(selector)
                self.assertEqual(len(targets), 1, "selects %d workloads" % len(targets))
                _, own_ports = d.container_ports(targets[0])
                for rule in pol["spec"].get("ingress", []):
                    for p in rule.get("ports", []):
                        self.assertIn(p["port"], own_ports)
                for rule in pol["spec"].get("egress", []):
                    for peer in rule.get("to", []):
                        if "podSelector" in peer and "namespaceSelector" not in peer:
                            [dest] = d.selected_workloads(peer["podSelector"]["matchLabels"])
                            _, dest_ports = d.container_ports(dest)
                            for p in rule.get("ports", []):
                                self.assertIn(p["port"], dest_ports)

        def peers(policy, direction):
            key = "from" if direction == "ingress" else "to"
            return [peer for rule in policy["spec"].get(direction, []) for peer in rule[key]]

        # Only the ingress controller reaches atio.
        atio_policy = policies["atio"]
        self.assertEqual(d.selected_workloads(atio_policy["spec"]["podSelector"]["matchLabels"]),
                         [by_name["atio"]])
        [controller] = peers(atio_policy, "ingress")
        self.assertEqual(controller["namespaceSelector"]["matchLabels"],
                         {"kubernetes.io/metadata.name": "ingress-nginx"})
        # Only atio reaches PostgreSQL, and PostgreSQL reaches nothing.
        pg_policy = policies["atio-postgres"]
        self.assertEqual(d.selected_workloads(pg_policy["spec"]["podSelector"]["matchLabels"]),
                         [by_name["atio-postgres"]])
        [client] = peers(pg_policy, "ingress")
        self.assertEqual(d.selected_workloads(client["podSelector"]["matchLabels"]),
                         [by_name["atio"]])
        self.assertEqual(pg_policy["spec"]["egress"], [])
        # atio reaches PostgreSQL and DNS.
        egress = atio_policy["spec"]["egress"]
        to_pg = [r for r in egress for p in r["to"] if "podSelector" in p and
                 d.selected_workloads(p["podSelector"]["matchLabels"]) == [by_name["atio-postgres"]]]
        self.assertEqual([p["port"] for r in to_pg for p in r["ports"]], [5432])
        dns = [p for r in egress for p in r.get("ports", []) if p["port"] == 53]
        self.assertEqual({p["protocol"] for p in dns}, {"UDP", "TCP"})

    def test_secrets_referenced_exist_in_the_templates_which_hold_placeholders_only(self):
        templates = d.secret_templates()
        for name, values in templates.items():
            for key, value in values.items():
                self.assertIn("REPLACE", str(value), "%s/%s looks like a real value" % (name, key))
        refs = []
        for w in d.workloads():
            for c in d.containers(w):
                for e in c.get("env", []):
                    ref = dig(e, "valueFrom.secretKeyRef")
                    if ref:
                        refs.append((ref["name"], ref["key"]))
                for e in c.get("envFrom", []):
                    if "secretRef" in e:
                        refs.append((e["secretRef"]["name"], None))
            for v in w["spec"]["template"]["spec"].get("volumes", []):
                if "secret" in v:
                    items = v["secret"].get("items") or [{"key": None}]
                    refs += [(v["secret"]["secretName"], i["key"]) for i in items]
        self.assertGreaterEqual(len(refs), 5)
        for name, key in refs:
            self.assertIn(name, templates)
            if key is not None:
                self.assertIn(key, templates[name], "%s/%s" % (name, key))

    def test_the_database_url_names_the_database_the_statefulset_makes(self):
        url = urllib.parse.urlsplit(d.secret_templates()["atio-db"]["database-url"])
        [pg] = [w for w in d.workloads() if w["kind"] == "StatefulSet"]
        env = {e["name"]: e.get("value") for e in pg["spec"]["template"]["spec"]["containers"][0]["env"]}
        self.assertEqual(url.scheme, "postgresql")
        self.assertEqual(url.hostname, pg["spec"]["serviceName"])
        self.assertEqual(url.port, 5432)
        self.assertEqual(url.username, env["POSTGRES_USER"])
        self.assertEqual(url.path, "/" + env["POSTGRES_DB"])


class EnvironmentNamesTest(unittest.TestCase):
    def test_every_atio_variable_named_is_one_atio_reads(self):
        known = d.serve_env_names(ATIO) | d.getenv_names()
        self.assertIn("ATIO_LISTEN", known)
        self.assertIn("ATIO_SECRET_KEY", known)  # read with getenv by the vault
        df = d.Dockerfile()
        final = df.final()
        sources = {
            "Dockerfile (runtime stage)": json.dumps(final["instructions"]),
            "docker-compose.yml": d.read(d.repo_path("docker-compose.yml")),
            "deploy/docker-entrypoint.sh": d.read(d.repo_path("deploy", "docker-entrypoint.sh")),
        }
        for f, o in d.k8s_objects():
            sources["deploy/kubernetes/" + f + " " + o["kind"]] = json.dumps(o)
        named = set()
        for where, text in sources.items():
            for name in d.atio_names(text):
                named.add(name)
                self.assertIn(name, known, "%s names %s" % (where, name))
        for name in ("ATIO_STORE", "ATIO_ADMIN_KEY_FILE", "ATIO_SECRET_KEY_FILE", "ATIO_LISTEN",
                     "ATIO_DATA", "ATIO_AUDIT_KEY"):
            self.assertIn(name, named)
        # The build stages set variables of the project's scripts, which those scripts read.
        script_vars = set()
        for script in os.listdir(d.repo_path("scripts")):
            script_vars |= set(re.findall(r"\$\{?(ATIO_[A-Z0-9_]+)",
                                          d.read(d.repo_path("scripts", script))))
        for stage in df.stages[:-1]:
            for name in d.atio_names(json.dumps(stage["instructions"])):
                self.assertIn(name, script_vars, "the %s stage sets %s" % (stage["name"], name))

    def test_secret_files_named_in_the_environment_are_mounted(self):
        [deploy] = [o for _, o in d.k8s_objects() if o["kind"] == "Deployment"]
        pod = deploy["spec"]["template"]["spec"]
        [c] = pod["containers"]
        volumes = {v["name"]: v for v in pod["volumes"]}
        files = {}
        for m in c["volumeMounts"]:
            v = volumes[m["name"]]
            if "secret" in v:
                for item in v["secret"]["items"]:
                    files[m["mountPath"] + "/" + item["path"]] = item["key"]
        paths = [e["value"] for e in c["env"] if e.get("value", "").startswith("/run/secrets/")]
        self.assertEqual(sorted(paths), sorted(files))
        atio = d.compose()["services"]["atio"]
        paths = [v for v in atio["environment"].values() if str(v).startswith("/run/secrets/")]
        self.assertEqual(sorted(paths), sorted("/run/secrets/" + s for s in atio["secrets"]))


class ComposeTest(unittest.TestCase):
    def test_depends_on_volumes_and_secrets_are_consistent(self):
        c = d.compose()
        services = c["services"]
        for name, s in services.items():
            with self.subTest(service=name):
                for dep, cond in (s.get("depends_on") or {}).items():
                    self.assertIn(dep, services)
                    if cond.get("condition") == "service_healthy":
                        self.assertIn("healthcheck", services[dep])
                for v in s.get("volumes", []):
                    source = v.split(":")[0]
                    if not source.startswith((".", "/")):
                        self.assertIn(source, c["volumes"])
                for secret in s.get("secrets", []):
                    self.assertIn(secret, c["secrets"])
                self.assertIn("healthcheck", s)
        used = {v.split(":")[0] for s in services.values() for v in s.get("volumes", [])}
        self.assertEqual(set(c["volumes"]) - used, set())
        ignored = d.read(d.repo_path(".gitignore")).split()
        for name, secret in c["secrets"].items():
            self.assertTrue(secret["file"].startswith("./deploy/secrets/"), name)
        self.assertIn("/deploy/secrets/", ignored)
        self.assertEqual(services["atio"]["depends_on"]["postgres"]["condition"], "service_healthy")

    def test_atio_is_pointed_at_the_database_compose_starts(self):
        services = d.compose()["services"]
        store = services["atio"]["environment"]["ATIO_STORE"]
        pg = services["postgres"]["environment"]
        # Both take the password compose reads from .env.
        self.assertIn("${POSTGRES_PASSWORD}", store)
        self.assertTrue(pg["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD"))
        url = urllib.parse.urlsplit(store.replace("${POSTGRES_PASSWORD}", "pw"))
        self.assertEqual(url.scheme, "postgresql")
        self.assertEqual(url.hostname, "postgres")
        self.assertEqual(url.port, 5432)
        self.assertEqual(url.username, pg["POSTGRES_USER"])
        self.assertEqual(url.path, "/" + pg["POSTGRES_DB"])
        self.assertEqual(url.password, "pw")
        self.assertIn("postgres-data:/var/lib/postgresql/data", services["postgres"]["volumes"])


class DockerfileTest(unittest.TestCase):
    def setUp(self):
        self.df = d.Dockerfile()

    def test_stages_and_copy_sources_exist(self):
        names = [s["name"] for s in self.df.stages]
        self.assertEqual(names, ["build", "runtime"])
        self.assertEqual(self.df.stages[0]["image"], "debian:12")
        self.assertEqual(self.df.final()["image"], "debian:bookworm-slim")
        patterns = d.dockerignore_patterns()
        seen = []
        for stage in self.df.stages:
            for args in self.df.all("COPY", stage):
                source_stage, sources, _ = self.df.copy_parts(args)
                if source_stage:
                    self.assertIn(source_stage, seen, args)
                    continue
                for src in sources:
                    with self.subTest(copy=src):
                        self.assertTrue(os.path.exists(d.repo_path(src)), src)
                        self.assertFalse(d.ignored_by_docker(src, patterns), src)
            seen.append(stage["name"])
        # The scripts the build stage runs are the project's own.
        runs = " ".join(self.df.all("RUN", self.df.stages[0]))
        for script in ("scripts/install-deps.sh", "scripts/build-ui.sh", "scripts/build.sh"):
            self.assertIn(script, runs)
            self.assertTrue(os.access(d.repo_path(script), os.X_OK), script)
        targets = re.search(r'ATIO_BUILD_TARGET=("[^"]*"|\S+)', runs)
        self.assertIsNotNone(targets, runs)
        self.assertEqual(set(targets.group(1).strip('"').split()), {"atio", "atio-jail-init"})

    def test_the_runtime_can_jail_scripts(self):
        # default_jail_init (src/atio/actions/script/jail.h) looks beside the atio binary;
        # jails need bubblewrap, and x-atio-python the machine's python3.
        final = self.df.final()
        dests = {}
        for args in self.df.all("COPY", final):
            _, sources, dest = self.df.copy_parts(args)
            dests[dest] = sources
        self.assertIn("/usr/local/bin/atio", dests)
        self.assertIn("/usr/local/bin/atio-jail-init", dests)
        installed = self.df.runtime_packages()
        self.assertIn("bubblewrap", installed)
        self.assertIn("python3", installed)

    def test_secrets_and_build_output_stay_out_of_the_build_context(self):
        patterns = d.dockerignore_patterns()
        for path in ("deploy/secrets/admin_key", ".git/config", "build/apps/atio/atio",
                     "web/node_modules/x", "web/dist/index.html", "var/atio.db",
                     "deploy/kubernetes/secrets/x"):
            self.assertTrue(d.ignored_by_docker(path, patterns), path)

    def test_the_runtime_is_unprivileged_and_finds_its_ui(self):
        final = self.df.final()
        user = self.df.all("USER", final)[-1]
        uid = user.split(":")[0]
        self.assertTrue(uid.isdigit() and int(uid) != 0, user)  # numeric: runAsNonRoot checks it
        [deploy] = [o for _, o in d.k8s_objects() if o["kind"] == "Deployment"]
        self.assertEqual(deploy["spec"]["template"]["spec"]["securityContext"]["runAsUser"], int(uid))
        runs = " ".join(self.df.all("RUN", final))
        self.assertIn("--uid %s" % uid, runs)
        entry = d.read(d.repo_path("deploy", "docker-entrypoint.sh"))
        listen = re.search(r'ATIO_LISTEN:=([^}"]+)', entry).group(1)
        data = re.search(r'ATIO_DATA:=([^}"]+)', entry).group(1)
        self.assertEqual(listen, "0.0.0.0:8080")
        self.assertEqual(self.df.all("EXPOSE", final), [listen.rsplit(":", 1)[1]])
        self.assertIn(data, self.df.all("VOLUME", final)[0])
        [c] = deploy["spec"]["template"]["spec"]["containers"]
        self.assertEqual([p["containerPort"] for p in c["ports"]], [8080])
        # find_ui_dir (server/ui/static_site.cc): <prefix>/bin/atio serves <prefix>/share/atio/ui.
        dests = {}
        for args in self.df.all("COPY", final):
            stage, sources, dest = self.df.copy_parts(args)
            dests[(stage, tuple(sources))] = dest
        binary = dests[("build", ("/atio",))]
        prefix = os.path.dirname(os.path.dirname(binary))
        self.assertEqual(dests[("build", ("/src/web/dist/",))].rstrip("/"),
                         prefix + "/share/atio/ui")
        entrypoint = json.loads(self.df.all("ENTRYPOINT", final)[0])
        self.assertEqual(dests[(None, ("deploy/docker-entrypoint.sh",))], entrypoint[-1])
        self.assertTrue(os.access(d.repo_path("deploy", "docker-entrypoint.sh"), os.X_OK))

    def test_the_runtime_installs_every_library_atio_links(self):
        needed = re.findall(r"\(NEEDED\).*\[(.+)\]",
                            subprocess.run(["readelf", "-d", ATIO], capture_output=True,
                                           text=True, timeout=30).stdout)
        resolved = dict(re.findall(r"^\s*(\S+) => (\S+)", subprocess.run(
            ["ldd", ATIO], capture_output=True, text=True, timeout=30).stdout, re.M))
        self.assertGreater(len(needed), 5)
        installed = self.df.runtime_packages()
        for lib in needed:
            with self.subTest(lib=lib):
                path = resolved[lib]
                candidates = [path, os.path.realpath(path)]
                candidates += [p[4:] if p.startswith("/usr/") else "/usr" + p for p in list(candidates)]
                owner = None
                for p in candidates:
                    out = subprocess.run(["dpkg", "-S", p], capture_output=True, text=True)
                    if out.returncode == 0:
                        owner = out.stdout.split(":")[0]
                        break
                self.assertIsNotNone(owner, "no package owns " + path)
                self.assertIn(owner, installed)


class LiveEndpointsTest(unittest.TestCase):
    """The probes of the manifests against a running `atio serve`."""

    def test_every_probe_path_answers_200_on_the_port_atio_serves(self):
        probes = http_probes()
        self.assertGreaterEqual(len(probes), 5)
        data = tempfile.mkdtemp(prefix="atio-deploy-")
        server = AtioServer(ATIO, data).start()
        try:
            for where, path, port in probes:
                with self.subTest(probe=where, path=path):
                    self.assertEqual(port, 8080)
                    status, _, body = server.request("GET", path, auth=False)
                    self.assertEqual(status, 200, body)
        finally:
            server.terminate()
            shutil.rmtree(data, ignore_errors=True)


class EntrypointTest(unittest.TestCase):
    """deploy/docker-entrypoint.sh run as the container runs it, with the environment the
    manifests give, against the built binary."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="atio-entry-")
        self.proc = None

    def tearDown(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(30)
        if self.proc and self.proc.stdout and not self.proc.stdout.closed:
            self.proc.stdout.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def secret_file(self, name):
        """A fresh value for the secret `name`, in a private file."""
        if "admin" in name:
            value = "atio_" + secrets.token_hex(32)
        else:
            value = secrets.token_hex(32)
        path = os.path.join(self.dir, "secret-" + name.replace("/", "_"))
        with open(path, "w") as f:
            f.write(value + "\n")
        os.chmod(path, 0o600)
        return path, value

    def kubernetes_env(self):
        """The Deployment's environment, its secret files made here, image paths mapped to the
        repository; ATIO_STORE (from the database Secret) is the caller's."""
        [deploy] = [o for _, o in d.k8s_objects() if o["kind"] == "Deployment"]
        [c] = deploy["spec"]["template"]["spec"]["containers"]
        config = {o["metadata"]["name"]: o["data"] for _, o in d.k8s_objects()
                  if o["kind"] == "ConfigMap"}
        env = {}
        for e in c.get("envFrom", []):
            env.update(config[e["configMapRef"]["name"]])
        for e in c["env"]:
            if "value" in e:
                env[e["name"]] = e["value"]
        return env

    def compose_env(self):
        env = dict(d.compose()["services"]["atio"]["environment"])
        self.assertTrue(env.pop("ATIO_STORE").startswith("postgresql://"))
        return env

    def localise(self, env):
        """Secret paths to fresh files, image paths to the repository. Returns the admin key."""
        admin_key = None
        image_paths = d.Dockerfile().image_path_to_repo()
        for name, value in list(env.items()):
            value = str(value)
            if value.startswith("/run/secrets/"):
                path, secret = self.secret_file(value[len("/run/secrets/"):])
                env[name] = path
                if name == "ATIO_ADMIN_KEY_FILE":
                    admin_key = secret
            else:
                for image_path, repo_path in image_paths.items():
                    if value == image_path or value.startswith(image_path + "/"):
                        env[name] = repo_path + value[len(image_path):]
        return admin_key

    def run_entrypoint(self, env, args=()):
        full = {k: v for k, v in os.environ.items() if not k.startswith("ATIO_")}
        full.update({k: str(v) for k, v in env.items()})
        full["PATH"] = os.path.dirname(ATIO) + os.pathsep + full.get("PATH", "")
        cmd = json.loads(d.Dockerfile().all("CMD", d.Dockerfile().final())[0])
        self.proc = subprocess.Popen(
            ["/bin/sh", d.repo_path("deploy", "docker-entrypoint.sh"), *(args or cmd)],
            env=full, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        lines = []
        started = threading.Event()

        def pump():
            for line in self.proc.stdout:
                lines.append(line)
                if "listening on" in line:
                    started.set()
            started.set()

        threading.Thread(target=pump, daemon=True).start()
        started.wait(60)
        return lines

    def get(self, port, path, key=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("GET", path, headers={"Authorization": "Bearer " + key} if key else {})
            resp = conn.getresponse()
            return resp.status, json.loads(resp.read().decode() or "null")
        finally:
            conn.close()

    def serve_with(self, env):
        """Runs the entry command with `env` on a new PostgreSQL database (as the manifests
        run atio) and checks what a probe and an operator would."""
        admin_key = self.localise(env)
        self.assertIsNotNone(admin_key)
        env["ATIO_STORE"] = postgres_database()
        port = free_port()
        env["ATIO_LISTEN"] = "127.0.0.1:%d" % port
        env["ATIO_DATA"] = os.path.join(self.dir, "data")
        lines = self.run_entrypoint(env)
        output = "".join(lines)
        self.assertIn("listening on http://127.0.0.1:%d" % port, output)
        for path in ("/healthz", "/readyz"):
            status, body = self.get(port, path)
            self.assertEqual(status, 200, body)
        status, me = self.get(port, "/api/v1/me", admin_key)
        self.assertEqual(status, 200, me)
        self.assertEqual(me["role"], "admin")
        self.assertNotIn(admin_key, output)
        # The shipped playbooks the image holds are loaded.
        status, listing = self.get(port, "/api/v1/playbooks", admin_key)
        shipped = [f for f in os.listdir(d.repo_path("playbooks")) if f.endswith(".json")]
        self.assertEqual(len(listing["playbooks"]), len(shipped))
        # docker stop / a pod's end: SIGTERM reaches atio itself (exec), which stops cleanly.
        self.proc.send_signal(signal.SIGTERM)
        self.assertEqual(self.proc.wait(60), 0, output)

    def test_the_kubernetes_environment_serves_with_the_admin_key_from_its_secret(self):
        self.serve_with(self.kubernetes_env())

    def test_the_compose_environment_serves_with_the_admin_key_from_its_secret(self):
        self.serve_with(self.compose_env())

    def test_other_commands_pass_through_to_atio(self):
        lines = self.run_entrypoint({}, ["version"])
        self.assertEqual(self.proc.wait(30), 0)
        self.assertIn("atio " + d.atio_version(), "".join(lines))
        lines = self.run_entrypoint({}, ["--help"])  # options alone go to `atio serve`
        self.assertEqual(self.proc.wait(30), 0)
        self.assertIn("ATIO_ADMIN_KEY_FILE", "".join(lines))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_deploy_manifests.py /path/to/atio [unittest args]")
    ATIO = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
