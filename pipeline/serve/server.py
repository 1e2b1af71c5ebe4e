"""`wenmi serve`: start the workbench on this computer and print the address to open."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

from ..errors import WenmiError
from .guard import new_token

LOCAL = "127.0.0.1"


def serve(root: Path, host: str = LOCAL, port: int = 8000) -> None:
    """Serve the project at `root` until interrupted. Only this computer can reach it unless
    `host` says otherwise; the printed address carries the token every request needs."""
    import uvicorn

    from ..reading.specs import load_project
    from .app import create_app
    project_root = load_project(root).root          # a folder that is no project stops here
    listener = _listen(host, port)
    port = listener.getsockname()[1]
    token = new_token()
    shown = f"[{host}]" if ":" in host else host
    # names a page may call this server by (None: any, when other computers are to reach it)
    hosts = {f"{shown}:{port}", f"localhost:{port}", f"127.0.0.1:{port}"} if _loopback(host) else None
    print(f"文秘工作台已启动：http://{shown}:{port}/?token={token}\n"
          f"请在浏览器中打开上面的地址（地址中的令牌不要告诉别人）；按 Ctrl+C 停止。", flush=True)
    if not _loopback(host):
        print(f"注意：工作台在 {host} 上监听，同一网络中的其他电脑也能连接（仍需令牌）。", flush=True)
    config = uvicorn.Config(create_app(project_root, token, hosts, warm=True), log_level="warning",
                            access_log=False, server_header=False)
    uvicorn.Server(config).run(sockets=[listener])


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, opened here so a port in use is one clear message."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as error:
        listener.close()
        raise WenmiError(f"无法在 {host}:{port} 上启动（{error.strerror}）",
                         hint="端口可能已被占用：换一个端口，例如 --port 8001") from None
    listener.listen(64)
    return listener


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
