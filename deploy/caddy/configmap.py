"""Keep the Kubernetes copy of the Caddyfile in step with ``deploy/caddy/Caddyfile``.

``make gateway-config`` (``python -m deploy.caddy.configmap``) rewrites
``deploy/k8s/gateway-caddy-config.yaml``, the ConfigMap the gateway Deployment mounts, after a
change to the Caddyfile; ``--check`` only reports whether it is out of date (tests/deploy fails
while it is).
"""

from __future__ import annotations

import sys

from deploy.caddy.gateway import CADDYFILE

K8S_CONFIGMAP = CADDYFILE.parents[1] / "k8s" / "gateway-caddy-config.yaml"
CONFIGMAP_NAME = "gateway-caddy"


def _literal(text: str) -> str:
    if any(line != line.rstrip() for line in text.splitlines()) or not text.endswith("\n"):
        raise ValueError("the Caddyfile must end with a newline and have no trailing spaces")
    return "|\n" + "".join(f"    {line}\n" if line else "\n" for line in text.splitlines())


def k8s_configmap() -> str:
    """The ConfigMap holding the Caddyfile verbatim."""
    return (
        "# Generated from deploy/caddy/Caddyfile by `make gateway-config`: edit that file, then\n"
        "# run it again (tests/deploy fails while this copy is out of date).\n"
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata:\n"
        f"  name: {CONFIGMAP_NAME}\n"
        "  labels:\n"
        "    app.kubernetes.io/name: gateway\n"
        "    app.kubernetes.io/part-of: cchc\n"
        "data:\n"
        f"  Caddyfile: {_literal(CADDYFILE.read_text())}"
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
