#!/usr/bin/env python3
"""Writes one pathological input for certgate: the shapes that used to take quadratic (or
exponential) time, at a chosen size.

Usage: bench/gen_pathological.py KIND N OUT_DIR

KIND and what N means:
  tfstring  Terraform locals that each double the previous string, N levels deep.
  modules   local modules that each call the next one twice, N levels deep (2^N instances).
  fixfail   N sites whose fix is a one-word change, and one fix that fails validation: it adds
            a line above a resource that another file declares again, which moves the
            position the duplicate-declaration error names.
  planline  a plan JSON (`terraform show -json` style: one line) with N web apps.
  tfjson    a one-line main.tf.json with N web apps.
  hclkeys   an HCL object with N keys, one of which a site reads.
  foreach   a site with for_each over a map of N keys.
  monodup   bench/gen_monorepo.py's N-file monorepo (about 1% sites, most with a fix) plus one
            module whose only fix fails validation as in `fixfail`: the corpus case where
            `--format json` re-checked every fix one at a time.

The output is deterministic: the same bytes for the same KIND and N.
"""

import json
import os
import subprocess
import sys

SITE = "azurerm_linux_web_app"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)


def site_body(extra):
    return (
        '  name                = "app"\n'
        '  resource_group_name = "rg"\n'
        '  location            = "westeurope"\n'
        '  service_plan_id     = "plan"\n'
        f"{extra}"
        "  site_config {}\n"
    )


def tfstring(n, out):
    lines = ['locals {\n  s0 = "ab"\n']
    for i in range(1, n + 1):
        lines.append(f'  s{i} = "${{local.s{i - 1}}}${{local.s{i - 1}}}"\n')
    lines.append("}\n\n")
    extra = (
        "  client_certificate_enabled = true\n"
        f'  client_certificate_mode    = length(local.s{n}) > 0 ? "Required" : "Optional"\n'
    )
    lines.append(f'resource "{SITE}" "web" {{\n{site_body(extra)}}}\n')
    write(os.path.join(out, "main.tf"), "".join(lines))


def modules(n, out):
    # The root calls level 1 twice; level i calls level i+1 twice; level n declares the site.
    def calls(level):
        source = f"./m{level}" if level == 1 else f"../m{level}"
        return "".join(
            f'module "{side}" {{\n  source  = "{source}"\n  enabled = var.enabled\n}}\n\n'
            for side in ("a", "b")
        )

    variable = 'variable "enabled" {\n  type    = bool\n  default = false\n}\n\n'
    write(os.path.join(out, "main.tf"), variable + calls(1))
    for level in range(1, n + 1):
        if level < n:
            body = calls(level + 1)
        else:
            extra = "  client_certificate_enabled = var.enabled\n"
            body = f'resource "{SITE}" "leaf" {{\n{site_body(extra)}}}\n'
        write(os.path.join(out, f"m{level}", "main.tf"), variable + body)


def fixfail(n, out):
    parts = []
    for i in range(n):
        extra = "  client_certificate_enabled = false\n"
        parts.append(f'resource "{SITE}" "s{i}" {{\n{site_body(extra)}}}\n\n')
    # Fixing this one inserts a line, which moves the first declaration of `dup` below it.
    # (A variable: a duplicate of a type that cannot be a site is only a notice.)
    parts.append(f'resource "{SITE}" "inserted" {{\n{site_body("")}}}\n\n')
    parts.append('variable "dup" {\n  default = "rg"\n}\n')
    write(os.path.join(out, "main.tf"), "".join(parts))
    write(os.path.join(out, "z_dup.tf"), 'variable "dup" {\n  default = "rg2"\n}\n')


def site_values(i):
    return {
        "name": f"app-{i}",
        "resource_group_name": "rg",
        "location": "westeurope",
        "client_certificate_enabled": i % 2 == 0,
        "client_certificate_mode": "Optional" if i % 3 == 0 else "Required",
        "client_certificate_exclusion_paths": None,
        "https_only": True,
        "site_config": [{"always_on": True, "minimum_tls_version": "1.2"}],
        "tags": None,
    }


def planline(n, out):
    changes = []
    planned = []
    for i in range(n):
        address = f"{SITE}.s{i}"
        common = {"address": address, "mode": "managed", "type": SITE, "name": f"s{i}",
                  "provider_name": "registry.terraform.io/hashicorp/azurerm"}
        planned.append(dict(common, schema_version=1, values=site_values(i)))
        changes.append(dict(common, change={
            "actions": ["create"], "before": None, "after": site_values(i),
            "after_unknown": {"id": True, "default_hostname": True}}))
    plan = {"format_version": "1.2", "terraform_version": "1.9.8",
            "planned_values": {"root_module": {"resources": planned}},
            "resource_changes": changes, "applyable": True, "complete": True, "errored": False}
    write(os.path.join(out, "plan.json"), json.dumps(plan, separators=(",", ":")) + "\n")


def tfjson(n, out):
    sites = {}
    for i in range(n):
        values = site_values(i)
        values["service_plan_id"] = "plan"
        del values["client_certificate_exclusion_paths"], values["tags"]
        sites[f"s{i}"] = values
    doc = {"resource": {SITE: sites}}
    write(os.path.join(out, "main.tf.json"), json.dumps(doc, separators=(",", ":")) + "\n")


def hclkeys(n, out):
    keys = "".join(f'    k{i} = "{"Required" if i == n - 1 else "Optional"}"\n'
                   for i in range(n))
    extra = ("  client_certificate_enabled = true\n"
             f"  client_certificate_mode    = local.modes.k{n - 1}\n")
    text = (f"locals {{\n  modes = {{\n{keys}  }}\n}}\n\n"
            f'resource "{SITE}" "web" {{\n{site_body(extra)}}}\n')
    write(os.path.join(out, "main.tf"), text)


def foreach(n, out):
    keys = "".join(f'    k{i} = "Required"\n' for i in range(n))
    extra = ("  for_each                   = local.modes\n"
             "  client_certificate_enabled = true\n"
             "  client_certificate_mode    = each.value\n")
    text = (f"locals {{\n  modes = {{\n{keys}  }}\n}}\n\n"
            f'resource "{SITE}" "web" {{\n{site_body(extra)}}}\n')
    write(os.path.join(out, "main.tf"), text)


def monodup(n, out):
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen_monorepo.py")
    subprocess.run([sys.executable, script, out, str(n)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    fixfail(1, os.path.join(out, "terraform", "zz-duplicate"))


KINDS = {
    "tfstring": tfstring,
    "modules": modules,
    "fixfail": fixfail,
    "planline": planline,
    "tfjson": tfjson,
    "hclkeys": hclkeys,
    "foreach": foreach,
    "monodup": monodup,
}


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in KINDS:
        sys.exit(__doc__)
    kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if n < 1:
        sys.exit("N must be at least 1")
    KINDS[kind](n, out)


if __name__ == "__main__":
    main()
