# dsvm-pool: JupyterHub signs people in with Microsoft Entra ID, on every DSVM of the pool, as the same local account.
# Loaded from the VM's jupyterhub_config.py with load_subconfig() (install-reporter.sh); reads /etc/dsvm-pool/pool.env
# (cloud-init) and the client secret pool_identity.py fetched from Key Vault. Needs oauthenticator >= 16 (the DSVM's
# hub uses PAM by default; README "VM login" says how to install it).
# - LocalAzureAdOAuthenticator: Entra sign-in, and a local account made on first sign-in with add_user_cmd, here
#   pool_identity.py add-user, which gives the account the uid it has on every other VM (NFS home = uid registry).
# - The local name is the UPN's part before "@", lowercased, other characters than [a-z0-9_-] as "-":
#   alice.smith@contoso.com → alice-smith. Who may sign in at all is the app registration's business (app role
#   assignment required), so every user Entra lets through is allowed here.
import os
import pathlib
import re


def _pool_env(path="/etc/dsvm-pool/pool.env"):
    values = {}
    for line in pathlib.Path(os.environ.get("DSVMPOOL_POOL_ENV", path)).read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def local_name(upn):
    """The Linux account name for an Entra user principal name (see above); '' if nothing usable is left."""
    name = re.sub(r"[^a-z0-9_-]", "-", upn.split("@", 1)[0].lower()).strip("-")[:32]
    return name if re.match(r"^[a-z_][a-z0-9_-]*$", name) else ""


from oauthenticator.azuread import LocalAzureAdOAuthenticator  # noqa: E402 (after the helpers the tests import)


class PoolAzureAdOAuthenticator(LocalAzureAdOAuthenticator):
    """Entra sign-in mapped to the pool's local account names."""

    def user_info_to_username(self, user_info):
        return local_name(user_info.get("preferred_username") or user_info.get("upn") or "")


_env = _pool_env()
c.JupyterHub.authenticator_class = PoolAzureAdOAuthenticator  # noqa: F821 (c: the including file's config)
c.PoolAzureAdOAuthenticator.tenant_id = _env["DSVMPOOL_ENTRA_TENANT_ID"]  # noqa: F821
c.PoolAzureAdOAuthenticator.client_id = _env["DSVMPOOL_HUB_CLIENT_ID"]  # noqa: F821
c.PoolAzureAdOAuthenticator.client_secret = pathlib.Path(  # noqa: F821
    os.environ.get("DSVMPOOL_OAUTH_SECRET_FILE", "/etc/dsvm-pool/jupyterhub-oauth-secret")).read_text().strip()
c.PoolAzureAdOAuthenticator.oauth_callback_url = _env["DSVMPOOL_HUB_CALLBACK_URL"]  # noqa: F821
c.PoolAzureAdOAuthenticator.allow_all = True  # noqa: F821
c.PoolAzureAdOAuthenticator.create_system_users = True  # noqa: F821
c.PoolAzureAdOAuthenticator.add_user_cmd = ["/opt/dsvm-pool/pool_identity.py", "add-user"]  # noqa: F821
