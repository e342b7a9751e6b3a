"""One upload limit: lib/config.py's, which the uploader (Streamlit) and the reader both enforce."""
import tomllib
from pathlib import Path

from lib import config
from lib.store.upload import REJECTED, parse_file

ROOT = Path(__file__).resolve().parent.parent


def test_config_toml_holds_the_limit_of_lib_config():
    """`streamlit run` and AppTest read .streamlit/config.toml; serve.py passes lib.config's value."""
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["server"]["maxUploadSize"] == config.MAX_UPLOAD_MB
    assert config.MAX_FILE_BYTES == config.MAX_UPLOAD_MB * 1024 * 1024  # Streamlit's MB are MiB


def test_serve_passes_the_limit_and_lets_an_explicit_option_win():
    import serve

    argv = serve.streamlit_argv(["--server.port=8600"])
    assert argv[:3] == ["streamlit", "run", "dashboard.py"]
    assert f"--server.maxUploadSize={config.MAX_UPLOAD_MB}" in argv
    assert argv[-1] == "--server.port=8600"
    override = serve.streamlit_argv(["--server.maxUploadSize=5"])
    assert override.index("--server.maxUploadSize=5") > override.index(f"--server.maxUploadSize={config.MAX_UPLOAD_MB}")


def test_the_reader_refuses_a_file_just_over_the_limit():
    result = parse_file(b"a,b\n" + bytes(config.MAX_FILE_BYTES), "名册.csv")
    assert result.status == REJECTED
    assert f"超过 {config.MAX_UPLOAD_MB}.0 MB 的上限" in result.errors[0].message
