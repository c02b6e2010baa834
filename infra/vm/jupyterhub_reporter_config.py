# dsvm-pool: registers the session reporter as a JupyterHub service with read-only scopes.
# Loaded from the VM's jupyterhub_config.py with load_subconfig(); the token is made on the VM at first boot.
# It also keeps single-user servers running when the hub stops (cleanup_servers = False, for drain before scale-in).
# Needs JupyterHub >= 3 (these scope names; install-reporter.sh checks with session_reporter.py --check-hub).
# The tests load this very file into a real JupyterHub.
import os
import pathlib

_token_file = os.environ.get("DSVMPOOL_HUB_TOKEN_FILE", "/etc/dsvm-pool/hub-token")
c.JupyterHub.services.append(  # noqa: F821 (c is the traitlets config of the including file)
    {"name": "dsvm-session-reporter", "api_token": pathlib.Path(_token_file).read_text().strip()}
)
c.JupyterHub.load_roles.append(  # noqa: F821
    {
        "name": "dsvm-session-reporter",
        "description": "List users and see their servers and activity; nothing else",
        "scopes": ["list:users", "read:servers", "read:users:activity"],
        "services": ["dsvm-session-reporter"],
    }
)
# Drain before scale-in stops the hub (systemctl stop jupyterhub) to send new users elsewhere; people already
# working must keep their servers, so stopping the hub must never stop a single-user server.
c.JupyterHub.cleanup_servers = False  # noqa: F821
