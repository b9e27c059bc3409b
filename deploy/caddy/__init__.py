"""The gateway: Caddy with deploy/caddy/Caddyfile, as a process and as a Kubernetes ConfigMap."""
