"""The buffering reverse proxy in front of gunicorn: nginx, as gunicorn's own
deployment guide recommends.

gunicorn's threads read a request themselves, so a few clients that send
their headers or body slowly (or open a connection and say nothing) tie up
every thread and stall everyone else.  nginx reads each request whole, on its
event loop, before handing it to gunicorn over a private unix socket, and
answers oversized or malformed requests itself, as problem+json like the API.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

__all__ = ["nginx_binary", "nginx_config", "PROBLEMS"]

# What nginx answers itself, before gunicorn sees a request: status, title, detail.
PROBLEMS = {
    413: ("Content Too Large", "The body is larger than the service accepts."),
    414: ("URI Too Long", "The request line is longer than the service accepts."),
    431: ("Request Header Fields Too Large", "The request headers are larger than the service accepts."),
    408: ("Request Timeout", "The request did not arrive in time."),
    502: ("Bad Gateway", "The service is starting or restarting; retry shortly."),
}


def nginx_binary() -> str | None:
    """The nginx executable on PATH or in /usr/sbin (Debian's), if installed."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def _problem_locations() -> str:
    # Internal URI locations (a named one answers 500 for a request whose header failed);
    # nginx reports oversized headers as its own code 494: the client gets 431.
    pages = [f"    error_page {code} = /_problem/{code};" for code in PROBLEMS]
    pages.append("    error_page 494 = /_problem/431;")
    for code, (title, detail) in PROBLEMS.items():
        body = f'{{"type": "about:blank", "title": "{title}", "status": {code}, "detail": "{detail}"}}'
        pages.append(f"    location = /_problem/{code} {{\n"
                     f"      internal;\n"
                     f"      default_type application/problem+json;\n"
                     f"      return {code} '{body}';\n    }}")
    return "\n".join(pages)


def nginx_config(prefix: Path, listen: str, upstream: Path, max_body_bytes: int) -> str:
    """nginx.conf for one service instance: listens on ``listen`` (host:port), keeps
    its pid and temporary files under ``prefix`` and passes whole requests to the
    gunicorn socket ``upstream``.

    >>> text = nginx_config(Path("/v/nginx"), "127.0.0.1:8000", Path("/v/run/app.sock"), 1000)
    >>> "listen 127.0.0.1:8000;" in text and "server unix:/v/run/app.sock;" in text
    True
    >>> "client_max_body_size 1000;" in text and "error_page 494 = /_problem/431;" in text
    True
    """
    temp = "\n".join(f"  {kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                         "uwsgi", "scgi"))
    # As root, nginx's workers would drop to "nobody" and lose the private socket and folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""# Written by graphsvc serve; edits are overwritten at the next start.
{user}worker_processes 1;
pid {prefix / "nginx.pid"};
error_log stderr warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;  # gunicorn logs every request
{temp}
  # Slow or silent clients are nginx's to wait for, never a gunicorn thread's.
  client_header_timeout 10s;
  client_body_timeout 10s;
  send_timeout 30s;
  keepalive_timeout 5s;
  client_max_body_size {max_body_bytes};
  client_body_buffer_size 1m;
  # Smaller than gunicorn's own limits (gunicorn_conf), so nginx, not gunicorn, answers
  # an oversized request line (414) or header (431), as problem+json.
  large_client_header_buffers 4 4k;
  upstream graphsvc {{
    server unix:{upstream};
    keepalive 16;
  }}
  server {{
    listen {listen};
    location / {{
      proxy_pass http://graphsvc;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_request_buffering on;
      proxy_buffering on;
      proxy_read_timeout 600s;  # long reports and imports
      proxy_intercept_errors off;
    }}
{_problem_locations()}
  }}
}}
"""
