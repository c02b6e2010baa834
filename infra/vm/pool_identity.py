#!/usr/bin/env python3
"""dsvm-pool: one SSH host identity and one set of Linux accounts on every VM of the interactive pool.

Why (README "VM login"): users reach any VM of the pool (the load balancer's port 22 and 8000, or a per-VM NAT
port), and their home is the same NFS share everywhere. So
- every VM presents the same SSH host key, fetched at boot from the pool's Key Vault with the scale set's
  managed identity: known_hosts trusts the pool once, and moving between VMs never trips "REMOTE HOST
  IDENTIFICATION HAS CHANGED";
- a user has the same uid on every VM: the NFS share is the uid registry. The first VM that creates an account
  claims its uid with an atomic mkdir on the share (/home/.dsvm-pool/uids/<uid>, holding the user name); every
  other VM creates the same account from those claims (sync-users, at boot and from the reporter's timer).

Commands (run as root):
  pool_identity.py boot            host key from Key Vault + sshd drop-in, the JupyterHub OAuth secret, sync-users
  pool_identity.py add-user NAME   the account NAME with its pool-wide uid (JupyterHub's add_user_cmd)
  pool_identity.py sync-users      create every account claimed on the share that this VM lacks

Environment (defaults are the VM's):
  DSVMPOOL_IMDS_URL            http://169.254.169.254 (managed identity token, resource https://vault.azure.net)
  DSVMPOOL_KEYVAULT_URL        https://<vault>.vault.azure.net (cloud-init sets it)
  DSVMPOOL_KEYVAULT_CA_FILE    extra CA for a test Key Vault
  DSVMPOOL_HOST_KEY_SECRET     pool-ssh-host-key (an OpenSSH ed25519 private key, the secret's value)
  DSVMPOOL_OAUTH_SECRET_NAME   jupyterhub-oauth-client-secret ('' skips it)
  DSVMPOOL_OAUTH_SECRET_FILE   /etc/dsvm-pool/jupyterhub-oauth-secret
  DSVMPOOL_SSH_DIR             /etc/ssh (the key is written as ssh_host_ed25519_key there)
  DSVMPOOL_SSHD_DROPIN         /etc/ssh/sshd_config.d/10-dsvm-pool-host-key.conf
  DSVMPOOL_HOME_ROOT           /home (the NFS share)
  DSVMPOOL_ACCOUNTS_PREFIX     '' (the system's /etc); tests: a directory holding another "VM"'s etc/passwd etc.
  DSVMPOOL_FIRST_UID           20000 (pool accounts get uids from here up, above any local account)

Key Vault "Get Secret": GET {vault}/secrets/{name}?api-version=7.4 with a bearer token for https://vault.azure.net
answers {"value": ...} (Key Vault REST reference); the scale set identity has Key Vault Secrets User on the vault.
"""
import json
import os
import re
import ssl
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

VAULT_RESOURCE = "https://vault.azure.net"
USER_NAME = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")


class PoolIdentityError(Exception):
    pass


def env(name, default):
    value = os.environ.get(name, "")
    return value if value else default


def http_json(url, headers, cafile=None):
    context = ssl.create_default_context(cafile=cafile) if url.startswith("https:") else None
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30, context=context) as response:
            return json.loads(response.read().decode())
    except urllib.error.HTTPError as error:
        raise PoolIdentityError(f"GET {url.split('?')[0]}: HTTP {error.code} {error.read()[:300]!r}") from error
    except (urllib.error.URLError, OSError) as error:
        raise PoolIdentityError(f"GET {url.split('?')[0]}: {error}") from error


def vault_token():
    imds = env("DSVMPOOL_IMDS_URL", "http://169.254.169.254").rstrip("/")
    query = urllib.parse.urlencode({"api-version": "2018-02-01", "resource": VAULT_RESOURCE})
    answer = http_json(f"{imds}/metadata/identity/oauth2/token?{query}", {"Metadata": "true"})
    if not answer.get("access_token"):
        raise PoolIdentityError("IMDS returned no access_token (has the scale set a system-assigned identity?)")
    return answer["access_token"]


def get_secret(name, token):
    vault = env("DSVMPOOL_KEYVAULT_URL", "")
    if not vault:
        raise PoolIdentityError("DSVMPOOL_KEYVAULT_URL is not set (cloud-init writes it to /etc/dsvm-pool/pool.env)")
    url = f"{vault.rstrip('/')}/secrets/{urllib.parse.quote(name)}?api-version=7.4"
    answer = http_json(url, {"Authorization": f"Bearer {token}"}, os.environ.get("DSVMPOOL_KEYVAULT_CA_FILE") or None)
    value = answer.get("value")
    if not isinstance(value, str) or not value:
        raise PoolIdentityError(f"Key Vault secret {name} has no value")
    return value


def write_private(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = os.open(path + ".tmp", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text if text.endswith("\n") else text + "\n")
    os.replace(path + ".tmp", path)


def install_host_key(private_key):
    """Writes the pool's ed25519 host key (and .pub) and an sshd drop-in that serves only that key."""
    ssh_dir = env("DSVMPOOL_SSH_DIR", "/etc/ssh")
    key_path = os.path.join(ssh_dir, "ssh_host_ed25519_key")
    write_private(key_path, private_key)
    public = subprocess.run(["ssh-keygen", "-y", "-f", key_path], capture_output=True, text=True, check=False)
    if public.returncode != 0 or not public.stdout.startswith("ssh-ed25519 "):
        raise PoolIdentityError(f"the host key from Key Vault is not an ed25519 private key: {public.stderr.strip()}")
    with open(key_path + ".pub", "w", encoding="utf-8") as handle:
        handle.write(public.stdout.strip() + " dsvm-pool\n")
    # Only this key: with per-VM RSA/ECDSA keys also offered, a client could pin one of those instead.
    dropin = env("DSVMPOOL_SSHD_DROPIN", "/etc/ssh/sshd_config.d/10-dsvm-pool-host-key.conf")
    os.makedirs(os.path.dirname(dropin), exist_ok=True)
    with open(dropin, "w", encoding="utf-8") as handle:
        handle.write(f"# dsvm-pool: one host key for every VM of the pool (pool_identity.py)\nHostKey {key_path}\n")
    return public.stdout.strip()


# --- accounts: the NFS share is the uid registry ---------------------------------------------------------------

def prefix():
    return env("DSVMPOOL_ACCOUNTS_PREFIX", "")


def local_accounts():
    """name → uid from this VM's passwd file (DSVMPOOL_ACCOUNTS_PREFIX/etc/passwd)."""
    accounts = {}
    with open(os.path.join(prefix() or "/", "etc/passwd"), encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split(":")
            if len(fields) >= 3 and fields[2].isdigit():
                accounts[fields[0]] = int(fields[2])
    return accounts


def claims_dir():
    return os.path.join(env("DSVMPOOL_HOME_ROOT", "/home"), ".dsvm-pool", "uids")


def claims():
    """uid → user name, as claimed on the share."""
    found = {}
    try:
        entries = os.listdir(claims_dir())
    except FileNotFoundError:
        return found
    for entry in entries:
        if entry.isdigit():
            try:
                with open(os.path.join(claims_dir(), entry, "user"), encoding="utf-8") as handle:
                    found[int(entry)] = handle.read().strip()
            except FileNotFoundError:
                pass  # a claim being written right now; the next sync sees it
    return found


def claim_uid(name):
    """The pool-wide uid of name: its existing claim, or the lowest free uid claimed now (mkdir is atomic on NFS)."""
    for uid, owner in claims().items():
        if owner == name:
            return uid
    os.makedirs(claims_dir(), exist_ok=True)
    taken = set(local_accounts().values())
    uid = int(env("DSVMPOOL_FIRST_UID", "20000"))
    while True:
        if uid not in taken:
            try:
                os.mkdir(os.path.join(claims_dir(), str(uid)))
            except FileExistsError:
                uid += 1
                continue
            with open(os.path.join(claims_dir(), str(uid), "user"), "w", encoding="utf-8") as handle:
                handle.write(name + "\n")
            return uid
        uid += 1


def run_tool(argv):
    extra = ["--prefix", prefix()] if prefix() else []
    done = subprocess.run([argv[0], *extra, *argv[1:]], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise PoolIdentityError(f"{' '.join(argv)}: {done.stderr.strip()}")


def create_account(name, uid):
    """Local group and user `name` with gid = uid = the pool-wide uid; home on the share, no password."""
    home = os.path.join(env("DSVMPOOL_HOME_ROOT", "/home"), name)
    run_tool(["groupadd", "-g", str(uid), name])
    run_tool(["useradd", "-u", str(uid), "-g", str(uid), "-M", "-d", home, "-s", "/bin/bash", "-p", "*", name])
    if not os.path.isdir(home):
        os.makedirs(home, mode=0o700)
        os.chown(home, uid, uid)


def add_user(name):
    if not USER_NAME.match(name):
        raise PoolIdentityError(f"{name!r} is not a valid Linux user name (lowercase letters, digits, _ and -)")
    have = local_accounts()
    uid = claim_uid(name)
    if name in have:
        if have[name] != uid:
            raise PoolIdentityError(f"{name} has uid {have[name]} here but {uid} on the pool's share; fix by hand")
        return uid
    if uid in have.values():
        raise PoolIdentityError(f"uid {uid} (claimed for {name} on the share) belongs to another local account")
    create_account(name, uid)
    return uid


def sync_users():
    """Creates every account claimed on the share that this VM lacks; returns the names created."""
    have = local_accounts()
    created = []
    for uid, name in sorted(claims().items()):
        if name in have or not USER_NAME.match(name):
            continue
        create_account(name, uid)
        created.append(name)
    return created


def boot():
    token = vault_token()
    public = install_host_key(get_secret(env("DSVMPOOL_HOST_KEY_SECRET", "pool-ssh-host-key"), token))
    oauth_name = os.environ.get("DSVMPOOL_OAUTH_SECRET_NAME", "jupyterhub-oauth-client-secret")
    if oauth_name:
        write_private(env("DSVMPOOL_OAUTH_SECRET_FILE", "/etc/dsvm-pool/jupyterhub-oauth-secret"), get_secret(oauth_name, token))
    return {"event": "boot", "hostKey": public.split()[1][-16:], "created": sync_users()}


def main(argv):
    try:
        if argv[:1] == ["boot"]:
            print(json.dumps(boot()))
        elif argv[:1] == ["add-user"] and len(argv) == 2:
            print(json.dumps({"event": "add-user", "user": argv[1], "uid": add_user(argv[1])}))
        elif argv[:1] == ["sync-users"]:
            print(json.dumps({"event": "sync-users", "created": sync_users()}))
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except PoolIdentityError as error:
        print(json.dumps({"event": "failed", "error": str(error)}))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
