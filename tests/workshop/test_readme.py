"""README.md documents every environment variable the settings read."""

from tests.support.servers import REPO_ROOT, settings_variables


def test_every_setting_from_the_environment_is_documented():
    readme = (REPO_ROOT / "README.md").read_text()
    variables = settings_variables()
    assert "DATABASE_URL" in variables  # the scan of settings.py finds them
    missing = [name for name in variables if f"`{name}`" not in readme]
    assert not missing, f"add these to the Configuration table of README.md: {missing}"
