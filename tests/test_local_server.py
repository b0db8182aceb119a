"""The embedded model server's lifecycle, with the real llama-cpp-python server."""

from sandbox.llm.local_server import LocalModelServer, free_port


def test_port_and_host_variables_do_not_move_the_model_server(monkeypatch, tmp_path):
    # `make run PORT=8000` exports PORT; llama-cpp's server reads its settings from the environment too.
    taken = free_port()
    monkeypatch.setenv("PORT", str(taken))
    monkeypatch.setenv("HOST", "0.0.0.0")
    server = LocalModelServer(log_path=tmp_path / "server.log").start()
    try:
        assert server.port != taken and server.healthy()
    finally:
        server.stop()
    assert not server.healthy()


def test_the_model_server_log_is_private(tmp_path):
    server = LocalModelServer(log_path=tmp_path / "server.log").start()
    server.stop()
    assert (tmp_path / "server.log").stat().st_mode & 0o777 == 0o600
