from pathlib import Path

import pytest

from khabar.errors import ConfigError
from khabar.settings import SETTINGS_HELP, Settings, load_settings


def test_precedence_is_file_then_environment_then_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "khabar.toml"
    config.write_text('[khabar]\nmodel = "from_file"\nbatch_size = 4\ndb = "file.db"\n')
    monkeypatch.setenv("KHABAR_BATCH_SIZE", "8")
    monkeypatch.setenv("KHABAR_DB", "env.db")
    settings = load_settings({"db": "flag.db", "model": None}, config=config)
    assert (settings.model, settings.batch_size, settings.db) == ("from_file", 8, "flag.db")


def test_bad_values_name_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHABAR_PROCESSES", "many")
    with pytest.raises(ConfigError, match="processes"):
        load_settings()


def test_unknown_setting_lists_the_known_ones(tmp_path: Path) -> None:
    config = tmp_path / "k.toml"
    config.write_text("colour = 1\n")
    with pytest.raises(ConfigError, match=r"known settings: .*model"):
        load_settings(config=config)


def test_every_setting_is_documented() -> None:
    documented = {s.name for s in SETTINGS_HELP}
    assert documented == set(Settings.__dataclass_fields__)


def test_zero_processes_means_all_cores() -> None:
    assert Settings(processes=0).worker_count() >= 1
    assert Settings(processes=3).worker_count() == 3
