"""Lay out the gateway's nginx configuration, and keep its Kubernetes copy in step.

``deploy/nginx/nginx.conf`` is the one production file: routing, limits, request ids, logs and
error bodies. Only addresses differ between docker-compose, Kubernetes and the end-to-end test;
they come from ``templates/*.template`` with ``${NAME}`` placeholders. In the containers the nginx
image renders them with envsubst into ``conf.d/`` at start; ``lay_out`` does the same for a test
(nginx.conf itself is linked, not copied, so the test runs the very file production runs).

``make gateway-config`` (``python -m deploy.nginx.render``) rewrites
``deploy/k8s/gateway-nginx-config.yaml``, the ConfigMap holding these files, after a change here;
``--check`` only reports whether it is out of date (tests/deploy fails while it is).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path

NGINX_DIR = Path(__file__).resolve().parent
MAIN_CONF = NGINX_DIR / "nginx.conf"
TEMPLATES_DIR = NGINX_DIR / "templates"
K8S_CONFIGMAP = NGINX_DIR.parent / "k8s" / "gateway-nginx-config.yaml"
CONFIGMAP_NAME = "gateway-nginx"
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def templates() -> dict[str, str]:
    """The templates by file name (``upstreams.conf.template`` …)."""
    return {p.name: p.read_text() for p in sorted(TEMPLATES_DIR.glob("*.template"))}


def template_variables() -> set[str]:
    """Every ``${NAME}`` the templates use: what compose and Kubernetes must set."""
    return {m for text in templates().values() for m in _PLACEHOLDER.findall(text)}


def render(text: str, values: Mapping[str, str]) -> str:
    """envsubst restricted to ``${NAME}``, but strict: a missing value is an error."""
    missing = sorted(set(_PLACEHOLDER.findall(text)) - set(values))
    if missing:
        raise KeyError(f"no value for {', '.join(missing)}")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def lay_out(prefix: Path, values: Mapping[str, str]) -> Path:
    """Make ``prefix`` a runnable gateway: ``nginx.conf`` (a link to the production file) and
    ``conf.d/`` rendered from the templates. Returns the path to pass to ``nginx -c``."""
    prefix.mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.unlink(missing_ok=True)
    conf.symlink_to(MAIN_CONF)
    conf_d = prefix / "conf.d"
    conf_d.mkdir(exist_ok=True)
    for name, text in templates().items():
        (conf_d / name.removesuffix(".template")).write_text(render(text, values))
    return conf


def command(nginx: str, prefix: Path, *extra: str) -> list[str]:
    """The command line the containers use, for a layout made by ``lay_out``."""
    return [
        nginx,
        "-p",
        f"{prefix}/",
        "-c",
        str(prefix / "nginx.conf"),
        "-e",
        "stderr",
        "-g",
        "daemon off;",
        *extra,
    ]


def _literal(text: str) -> str:
    if any(line != line.rstrip() for line in text.splitlines()) or not text.endswith("\n"):
        raise ValueError("nginx files must end with a newline and have no trailing spaces")
    return "|\n" + "".join(f"    {line}\n" if line else "\n" for line in text.splitlines())


def k8s_configmap() -> str:
    """The ConfigMap the gateway Deployment mounts: nginx.conf and the templates, verbatim."""
    files = {"nginx.conf": MAIN_CONF.read_text(), **templates()}
    data = "".join(f"  {name}: {_literal(text)}" for name, text in files.items())
    return (
        "# Generated from deploy/nginx/ by `make gateway-config`: edit those files, then run it\n"
        "# again (tests/deploy fails while this copy is out of date).\n"
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata:\n"
        f"  name: {CONFIGMAP_NAME}\n"
        "  labels:\n"
        "    app.kubernetes.io/name: gateway\n"
        "    app.kubernetes.io/part-of: cchc\n"
        "data:\n" + data
    )


def main(argv: list[str]) -> int:
    wanted = k8s_configmap()
    current = K8S_CONFIGMAP.read_text() if K8S_CONFIGMAP.exists() else None
    if "--check" in argv:
        if current != wanted:
            print(f"{K8S_CONFIGMAP} is out of date: run make gateway-config")
            return 1
        return 0
    if current != wanted:
        K8S_CONFIGMAP.write_text(wanted)
        print(f"wrote {K8S_CONFIGMAP}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
