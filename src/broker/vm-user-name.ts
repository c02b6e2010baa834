// The Linux account name a person has on every pool VM, derived from their Entra sign-in name exactly as the VMs
// derive it (infra/vm/jupyterhub_entra_config.py, local_name): what they type in `ssh -p PORT name@HOST`.

/** "Alice.Smith@contoso.com" → "alice-smith": the part before "@", lower case, characters other than [a-z0-9_-] as
 * "-", trimmed of "-", at most 32 characters; "" when that is not a valid name (e.g. it starts with a digit). */
export function vmUserName(upn: string): string {
  const name = upn.split('@', 1)[0]!.toLowerCase().replace(/[^a-z0-9_-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 32);
  return /^[a-z_][a-z0-9_-]*$/.test(name) ? name : '';
}
