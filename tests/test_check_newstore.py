"""`posapp check` on a NewStore till (the NewStore trial, findings 6 and 11): the admin token
line names NewStore, not Square, and the provider's failing line is "NOT READY:" like the
other problems."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_check_on_newstore_names_newstore_and_marks_the_provider_not_ready(
    tmp_path: Path,
) -> None:
    config = tmp_path / "posapp.toml"
    config.write_text(
        '[provider]\napi = "newstore"\nurl = "http://127.0.0.1:9/v0/c"\nstore_id = "milano"\n'
        "timeout_s = 2\n",
        encoding="utf-8",
    )
    env = {**os.environ, "POSAPP_PROVIDER_TOKEN": "t" * 32}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    done = subprocess.run(
        [str(Path(sys.executable).parent / "posapp"), "--config", str(config), "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 1, done.stdout
    assert "NOT READY: Provider http://127.0.0.1:9/v0/c: " in done.stdout
    assert (
        "Admin token: not needed (the cards are managed in NewStore and at its gift card "
        "provider)" in done.stdout
    )
    assert "Square" not in done.stdout
