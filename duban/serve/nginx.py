"""The nginx configuration `python -m duban serve` writes into its runtime folder.

Streamlit keeps each browser session's state (login, widgets, uploads in flight) inside one process, so every
request of a browser must reach the same worker: nginx gives each new browser a random route cookie and
hashes on it (consistent hashing, so a worker that stops only moves its own browsers). The page's websocket
(/_stcore/stream) is upgraded and held open for hours; the body limit follows the evidence upload limit.
"""
from __future__ import annotations

import math
import os
import pwd
from dataclasses import dataclass
from pathlib import Path

ROUTE_COOKIE = "duban_route"
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
NGINX = "/usr/sbin/nginx"


@dataclass(frozen=True)
class ProxySettings:
    """What the proxy needs to know: where it listens, the workers' ports, its folder, the upload limit."""

    host: str
    port: int
    worker_ports: tuple[int, ...]
    run_dir: Path
    max_upload_bytes: int


def body_limit_mb(max_upload_bytes: int) -> int:
    """The request body nginx accepts: the evidence limit rounded up, plus 1 MB for the multipart wrapping."""
    return math.ceil(max_upload_bytes / 1024 / 1024) + 1


def _user_line(run_dir: Path) -> str:
    """Started by root, nginx would hand its workers to `nobody`, who may not reach the runtime folder:
    they run as the folder's owner instead. Started by anyone else, nginx keeps that user (no line)."""
    if os.geteuid() != 0:
        return ""
    owner = pwd.getpwuid(run_dir.stat().st_uid).pw_name
    return f"user {owner};\n"


def render(s: ProxySettings) -> str:
    """The whole nginx.conf text for these settings (every path inside the runtime folder)."""
    run = s.run_dir.resolve()
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=3s;" for p in s.worker_ports)
    temps = "\n".join(f"    {name}_temp_path {run / 'tmp' / name};" for name in TEMP_DIRS)
    return f"""# written by `python -m duban serve`; rewritten on every start, do not edit
{_user_line(run)}worker_processes 1;
daemon off;
pid {run / 'nginx.pid'};
error_log {run / 'logs' / 'error.log'} warn;

events {{
    worker_connections 4096;
}}

http {{
    access_log {run / 'logs' / 'access.log'};
{temps}
    client_max_body_size {body_limit_mb(s.max_upload_bytes)}m;
    server_tokens off;

    # a browser keeps the route it was given; a new one gets this request's random id as its route
    map $cookie_{ROUTE_COOKIE} $duban_route {{
        ""      $request_id;
        default $cookie_{ROUTE_COOKIE};
    }}
    map $cookie_{ROUTE_COOKIE} $duban_route_cookie {{
        ""      "{ROUTE_COOKIE}=$request_id; Path=/; HttpOnly; SameSite=Lax";
        default "";
    }}
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ""      close;
    }}

    upstream duban_workers {{
        hash $duban_route consistent;
{servers}
    }}

    server {{
        listen {s.host}:{s.port};
        server_name _;

        proxy_http_version 1.1;
        proxy_set_header Host $http_host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_connect_timeout 5s;
        proxy_next_upstream error timeout;

        location = /healthz {{
            access_log off;
            proxy_pass http://duban_workers/_stcore/health;
        }}

        location /_stcore/stream {{
            add_header Set-Cookie $duban_route_cookie always;
            proxy_pass http://duban_workers;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 12h;
            proxy_send_timeout 12h;
        }}

        location / {{
            add_header Set-Cookie $duban_route_cookie always;
            proxy_pass http://duban_workers;
            proxy_read_timeout 300s;
        }}
    }}
}}
"""


def write(s: ProxySettings) -> Path:
    """Write nginx.conf and create the folders it names; the path of the file."""
    for sub in ("logs", *(f"tmp/{name}" for name in TEMP_DIRS)):
        (s.run_dir / sub).mkdir(parents=True, exist_ok=True)
    path = s.run_dir / "nginx.conf"
    path.write_text(render(s), encoding="utf-8")
    return path


def command(run_dir: Path) -> list[str]:
    """How to start nginx on that folder's configuration, in the foreground, logging only inside the folder."""
    run = run_dir.resolve()
    return [NGINX, "-p", str(run), "-c", str(run / "nginx.conf"), "-e", str(run / "logs" / "error.log")]


def test_config(run_dir: Path) -> str | None:
    """nginx's own check of the written file: None when fine, else what nginx said."""
    import subprocess

    result = subprocess.run([*command(run_dir), "-t", "-q"], capture_output=True, text=True)
    return None if result.returncode == 0 else (result.stderr.strip() or result.stdout.strip())
