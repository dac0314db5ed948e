#!/usr/bin/env python3
"""Writes a synthetic infrastructure monorepo for benchmarking certgate.

Usage: bench/gen_monorepo.py OUT_DIR FILES [--seed N]

The tree is deterministic for a given (FILES, seed): the same bytes every time, so runs on
different days and machines scan the same input. It mixes what a large company repository
holds:

- Terraform: root stacks (main.tf, variables.tf, outputs.tf, versions.tf, tfvars) that call
  local modules under terraform/modules/ and registry modules, and the local modules
  themselves (storage, network, key vault, databases, ...);
- ARM: templates with parameter files, some linking a nested template by relativePath;
- Bicep: main files with .bicepparam files and local modules;
- unrelated files: Markdown, Python, YAML pipelines and manifests, package.json, tsconfig.json.

About 1% of the files declare an App Service site or slot (azurerm_linux_web_app,
azurerm_windows_function_app, their slots, Microsoft.Web/sites in ARM and Bicep), spread over
the tree; most of those take their client-certificate settings from variables, parameters
and module inputs, some pass and some fail.

FILES is exact: the last unit is cut short with unrelated files if needed.
"""

import argparse
import json
import os
import random
import sys

SITE_SHARE = 0.01

REGIONS = ["westeurope", "northeurope", "eastus2", "uksouth", "swedencentral"]
TEAMS = ["payments", "identity", "search", "catalog", "billing", "risk", "ledger", "growth",
         "mobile", "data", "platform", "edge", "support", "orders", "pricing", "logistics"]
NOUNS = ["api", "worker", "portal", "gateway", "ingest", "export", "sync", "events", "jobs",
         "admin", "reports", "notify", "auth", "profile", "cart", "feeds"]
ENVS = ["dev", "test", "staging", "prod"]
CERT_MODES = ["Required", "Optional", "OptionalInteractiveUser"]


class Tree:
    """Collects files up to a fixed count and writes them under the output directory."""

    def __init__(self, root, limit):
        self.root = root
        self.limit = limit
        self.count = 0
        self.bytes = 0
        self.site_files = 0
        self.made_dirs = set()

    def full(self):
        return self.count >= self.limit

    def write(self, rel, text, declares_site=False):
        if self.full():
            return False
        path = os.path.join(self.root, rel)
        parent = os.path.dirname(path)
        if parent not in self.made_dirs:
            os.makedirs(parent, exist_ok=True)
            self.made_dirs.add(parent)
        data = text.encode()
        with open(path, "wb") as handle:
            handle.write(data)
        self.count += 1
        self.bytes += len(data)
        self.site_files += int(declares_site)
        return True


def lines(*parts):
    return "\n".join(parts) + "\n"


def hcl_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(hcl_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{k} = {hcl_value(v)}" for k, v in value.items())
        return "{ " + inner + " }"
    if isinstance(value, str) and value.startswith(("var.", "local.", "module.", "azurerm_")):
        return value
    return json.dumps(value)


def tf_block(header, attrs, indent=""):
    """A block laid out as `terraform fmt` does: `=` aligned, nested blocks last."""
    if not attrs:
        return f"{indent}{header} {{}}\n"
    simple = [(k, v) for k, v in attrs if not (isinstance(v, tuple) and v[0] == "block")]
    nested = [(k, v) for k, v in attrs if isinstance(v, tuple) and v[0] == "block"]
    width = max((len(k) for k, _ in simple), default=0)
    out = [f"{indent}{header} {{"]
    out += [f"{indent}  {k.ljust(width)} = {hcl_value(v)}" for k, v in simple]
    for key, value in nested:
        out.append("")
        out.append(tf_block(key, value[1], indent + "  ").rstrip("\n"))
    out.append(f"{indent}}}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- Terraform: other resources

def tf_other_resources(rng, prefix, team, count):
    """Resources of types certgate never judges, written as real modules write them."""
    makers = [
        lambda i: tf_block(f'resource "azurerm_storage_account" "{prefix}{i}"', [
            ("name", f"st{prefix}{i}{rng.randint(100, 999)}"),
            ("resource_group_name", "var.resource_group_name"),
            ("location", "var.location"),
            ("account_tier", "Standard"),
            ("account_replication_type", rng.choice(["LRS", "ZRS", "GRS"])),
            ("min_tls_version", "TLS1_2"),
            ("allow_nested_items_to_be_public", False),
            ("blob_properties", ("block", [("versioning_enabled", True)])),
            ("tags", "local.tags"),
        ]),
        lambda i: tf_block(f'resource "azurerm_key_vault" "{prefix}{i}"', [
            ("name", f"kv-{team}-{prefix}{i}"),
            ("location", "var.location"),
            ("resource_group_name", "var.resource_group_name"),
            ("tenant_id", "var.tenant_id"),
            ("sku_name", "standard"),
            ("purge_protection_enabled", True),
            ("soft_delete_retention_days", rng.choice([7, 30, 90])),
            ("network_acls", ("block", [("default_action", "Deny"), ("bypass", "AzureServices")])),
        ]),
        lambda i: tf_block(f'resource "azurerm_virtual_network" "{prefix}{i}"', [
            ("name", f"vnet-{team}-{i}"),
            ("address_space", [f"10.{rng.randint(0, 255)}.0.0/16"]),
            ("location", "var.location"),
            ("resource_group_name", "var.resource_group_name"),
            ("tags", "local.tags"),
        ]) + "\n" + tf_block(f'resource "azurerm_subnet" "{prefix}{i}"', [
            ("name", "snet-app"),
            ("resource_group_name", "var.resource_group_name"),
            ("virtual_network_name", f"azurerm_virtual_network.{prefix}{i}.name"),
            ("address_prefixes", [f"10.{rng.randint(0, 255)}.1.0/24"]),
        ]),
        lambda i: tf_block(f'resource "azurerm_log_analytics_workspace" "{prefix}{i}"', [
            ("name", f"log-{team}-{i}"),
            ("location", "var.location"),
            ("resource_group_name", "var.resource_group_name"),
            ("sku", "PerGB2018"),
            ("retention_in_days", rng.choice([30, 60, 90])),
        ]),
        lambda i: tf_block(f'resource "azurerm_mssql_server" "{prefix}{i}"', [
            ("name", f"sql-{team}-{i}"),
            ("resource_group_name", "var.resource_group_name"),
            ("location", "var.location"),
            ("version", "12.0"),
            ("minimum_tls_version", "1.2"),
            ("azuread_administrator", ("block", [("login_username", "sql-admins"),
                                                 ("object_id", "var.admin_object_id")])),
        ]) + "\n" + tf_block(f'resource "azurerm_mssql_database" "{prefix}{i}"', [
            ("name", f"sqldb-{team}"),
            ("server_id", f"azurerm_mssql_server.{prefix}{i}.id"),
            ("sku_name", rng.choice(["S0", "GP_S_Gen5_2", "BC_Gen5_4"])),
        ]),
        lambda i: tf_block(f'resource "azurerm_container_registry" "{prefix}{i}"', [
            ("name", f"acr{team}{i}"),
            ("resource_group_name", "var.resource_group_name"),
            ("location", "var.location"),
            ("sku", "Premium"),
            ("admin_enabled", False),
        ]),
        lambda i: tf_block(f'resource "azurerm_network_security_group" "{prefix}{i}"', [
            ("name", f"nsg-{team}-{i}"),
            ("location", "var.location"),
            ("resource_group_name", "var.resource_group_name"),
            ("security_rule", ("block", [
                ("name", "deny-all-inbound"), ("priority", 4096), ("direction", "Inbound"),
                ("access", "Deny"), ("protocol", "*"), ("source_port_range", "*"),
                ("destination_port_range", "*"), ("source_address_prefix", "*"),
                ("destination_address_prefix", "*")])),
        ]),
        lambda i: tf_block(f'resource "azurerm_role_assignment" "{prefix}{i}"', [
            ("scope", "var.scope_id"),
            ("role_definition_name", rng.choice(["Reader", "Contributor", "Key Vault Secrets User"])),
            ("principal_id", "var.principal_id"),
        ]),
        lambda i: tf_block(f'resource "azurerm_cosmosdb_account" "{prefix}{i}"', [
            ("name", f"cosmos-{team}-{i}"),
            ("location", "var.location"),
            ("resource_group_name", "var.resource_group_name"),
            ("offer_type", "Standard"),
            ("consistency_policy", ("block", [("consistency_level", "Session")])),
            ("geo_location", ("block", [("location", "var.location"), ("failover_priority", 0)])),
        ]),
    ]
    return "\n".join(rng.choice(makers)(i) for i in range(count))


def tf_variables(rng, names):
    blocks = []
    for name, typ, default in names:
        attrs = [("type", typ), ("description", f"The {name.replace('_', ' ')}.")]
        if default is not None:
            attrs.append(("default", default))
        blocks.append(tf_block(f'variable "{name}"', attrs).replace(f'type = "{typ}"', f"type = {typ}"))
    return "\n".join(blocks)


COMMON_VARS = [
    ("resource_group_name", "string", None),
    ("location", "string", "westeurope"),
    ("tenant_id", "string", None),
    ("scope_id", "string", ""),
    ("principal_id", "string", ""),
    ("admin_object_id", "string", ""),
]


def tf_versions(rng):
    major = rng.choice(["~> 3.116", "~> 4.0", ">= 4.10, < 5.0"])
    return lines(
        "terraform {",
        '  required_version = ">= 1.6"',
        "  required_providers {",
        "    azurerm = {",
        '      source  = "hashicorp/azurerm"',
        f'      version = "{major}"',
        "    }",
        "  }",
        "}",
    )


def tf_locals(team):
    return lines("locals {", "  tags = {", f'    team       = "{team}"',
                 '    managed_by = "terraform"', "  }", "}")


# ---------------------------------------------------------------- Terraform: site modules

def tf_site_module(rng, tree, base, team, noun):
    """A local module declaring a site (and maybe a slot) from its inputs."""
    os_kind = rng.choice(["linux", "windows"])
    app = rng.choice(["web_app", "web_app", "function_app"])
    site_type = f"azurerm_{os_kind}_{app}"
    with_slot = rng.random() < 0.4
    mode_default = rng.choice(CERT_MODES)
    enabled_default = rng.random() < 0.6
    body = [tf_locals(team), tf_block('resource "azurerm_service_plan" "this"', [
        ("name", f"asp-{team}-{noun}"),
        ("resource_group_name", "var.resource_group_name"),
        ("location", "var.location"),
        ("os_type", os_kind.capitalize()),
        ("sku_name", rng.choice(["P1v3", "P2v3", "S1", "EP1"])),
    ])]
    site_attrs = [
        ("name", f"app-{team}-{noun}"),
        ("resource_group_name", "var.resource_group_name"),
        ("location", "var.location"),
        ("service_plan_id", "azurerm_service_plan.this.id"),
        ("https_only", True),
        ("client_certificate_enabled", "var.client_certificate_enabled"),
        ("client_certificate_mode", "var.client_certificate_mode"),
    ]
    if app == "function_app":
        site_attrs += [("storage_account_name", "var.storage_account_name"),
                       ("storage_account_access_key", "var.storage_account_access_key")]
    site_attrs += [("site_config", ("block", [("minimum_tls_version", "1.2"),
                                              ("ftps_state", "Disabled")])),
                   ("identity", ("block", [("type", "SystemAssigned")])),
                   ("tags", "local.tags")]
    body.append(tf_block(f'resource "{site_type}" "this"', site_attrs))
    if with_slot:
        slot_type = f"{site_type}_slot"
        slot_attrs = [("name", "staging"),
                      ("app_service_id" if app == "web_app" else "function_app_id",
                       f"{site_type}.this.id"),
                      ("client_certificate_enabled", "var.client_certificate_enabled"),
                      ("client_certificate_mode", rng.choice(["Required", "Optional"]))]
        if app == "function_app":
            slot_attrs.append(("storage_account_name", "var.storage_account_name"))
        slot_attrs.append(("site_config", ("block", [])))
        body.append(tf_block(f'resource "{slot_type}" "staging"', slot_attrs))
    tree.write(f"{base}/main.tf", "\n".join(body), declares_site=True)
    variables = COMMON_VARS[:2] + [
        ("client_certificate_enabled", "bool", enabled_default),
        ("client_certificate_mode", "string", mode_default),
        ("storage_account_name", "string", ""),
        ("storage_account_access_key", "string", ""),
    ]
    tree.write(f"{base}/variables.tf", tf_variables(rng, variables))
    tree.write(f"{base}/outputs.tf", lines(
        'output "id" {', f"  value = {site_type}.this.id", "}", "",
        'output "default_hostname" {', f"  value = {site_type}.this.default_hostname", "}"))
    tree.write(f"{base}/README.md", lines(f"# {team} {noun}", "",
                                          f"App Service ({site_type}) for the {team} team."))


def tf_inline_site(rng, team, noun):
    """A site declared directly in a root stack, with literal settings."""
    typ = rng.choice(["azurerm_linux_web_app", "azurerm_windows_web_app",
                      "azurerm_linux_function_app", "azurerm_windows_function_app"])
    attrs = [("name", f"app-{team}-{noun}-direct"),
             ("resource_group_name", "azurerm_resource_group.this.name"),
             ("location", "var.location"),
             ("service_plan_id", "var.service_plan_id")]
    roll = rng.random()
    if roll < 0.4:
        attrs.append(("client_certificate_enabled", True))
        attrs.append(("client_certificate_mode", "Required"))
    elif roll < 0.7:
        attrs.append(("client_certificate_enabled", False))
    if "function" in typ:
        attrs.append(("storage_account_name", "var.storage_account_name"))
    attrs.append(("site_config", ("block", [("always_on", True)])))
    return tf_block(f'resource "{typ}" "direct"', attrs)


# ---------------------------------------------------------------- Terraform: stacks and modules

OTHER_MODULES = ["storage", "network", "keyvault", "monitoring", "sql", "registry", "cosmos",
                 "nsg", "rbac"]


def tf_plain_module(rng, tree, base, team):
    tree.write(f"{base}/main.tf", tf_locals(team) + "\n" +
               tf_other_resources(rng, "m", team, rng.randint(2, 6)))
    tree.write(f"{base}/variables.tf", tf_variables(rng, COMMON_VARS))
    tree.write(f"{base}/outputs.tf", lines('output "resource_group_name" {',
                                           "  value = var.resource_group_name", "}"))
    if rng.random() < 0.5:
        tree.write(f"{base}/README.md", lines(f"# Module {os.path.basename(base)}", "",
                                              "Inputs and outputs are in variables.tf and outputs.tf."))


def tf_stack(rng, tree, base, team, local_modules, site_module=None, inline_site=False):
    """A root module: providers, a resource group, module calls, and its variable files."""
    body = [tf_locals(team),
            lines('provider "azurerm" {', "  features {}", "}"),
            tf_block('resource "azurerm_resource_group" "this"', [
                ("name", f"rg-{team}-{rng.randint(1, 99)}"), ("location", "var.location"),
                ("tags", "local.tags")])]
    up = "../" * (base.count("/") + 1)
    calls = rng.sample(local_modules, k=min(len(local_modules), rng.randint(0, 2)))
    for module in calls:
        body.append(tf_block(f'module "{os.path.basename(module)}"', [
            ("source", f"{up}{module}"),
            ("resource_group_name", "azurerm_resource_group.this.name"),
            ("location", "var.location"),
            ("tenant_id", "var.tenant_id")]))
    if rng.random() < 0.3:
        body.append(tf_block('module "naming"', [("source", "Azure/naming/azurerm"),
                                                 ("version", "0.4.1"),
                                                 ("suffix", [team])]))
    if site_module is not None:
        enabled = "var.client_certificate_enabled"
        body.append(tf_block(f'module "{os.path.basename(site_module)}"', [
            ("source", f"{up}{site_module}"),
            ("resource_group_name", "azurerm_resource_group.this.name"),
            ("location", "var.location"),
            ("client_certificate_enabled", enabled),
            ("client_certificate_mode", rng.choice(CERT_MODES))]))
    if inline_site:
        body.append(tf_inline_site(rng, team, rng.choice(NOUNS)))
    body.append(tf_other_resources(rng, "s", team, rng.randint(1, 4)))
    tree.write(f"{base}/main.tf", "\n".join(body), declares_site=inline_site)
    variables = COMMON_VARS + [("client_certificate_enabled", "bool", None),
                               ("service_plan_id", "string", ""),
                               ("storage_account_name", "string", "")]
    tree.write(f"{base}/variables.tf", tf_variables(rng, variables))
    tree.write(f"{base}/versions.tf", tf_versions(rng))
    tree.write(f"{base}/outputs.tf", lines('output "resource_group_id" {',
                                           "  value = azurerm_resource_group.this.id", "}"))
    cert = rng.random() < 0.7
    tree.write(f"{base}/terraform.tfvars", lines(
        f'resource_group_name        = "rg-{team}"',
        f'location                   = "{rng.choice(REGIONS)}"',
        'tenant_id                  = "00000000-0000-0000-0000-000000000000"',
        f"client_certificate_enabled = {'true' if cert else 'false'}"))
    for env in rng.sample(ENVS, k=rng.randint(0, 2)):
        tree.write(f"{base}/envs/{env}.tfvars", lines(
            f'location = "{rng.choice(REGIONS)}"',
            f"client_certificate_enabled = {'true' if env == 'prod' else 'false'}"))


# ---------------------------------------------------------------- ARM

ARM_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
PARAM_SCHEMA = ("https://schema.management.azure.com/schemas/2019-04-01/"
                "deploymentParameters.json#")


def arm_storage(rng, team):
    return {
        "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-05-01",
        "name": f"[concat('st', uniqueString(resourceGroup().id), '{team}')]",
        "location": "[parameters('location')]", "kind": "StorageV2",
        "sku": {"name": rng.choice(["Standard_LRS", "Standard_ZRS"])},
        "properties": {"minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": False,
                       "supportsHttpsTrafficOnly": True},
    }


def arm_vault(rng, team):
    return {
        "type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01",
        "name": f"[format('kv-{team}-{{0}}', parameters('environment'))]",
        "location": "[parameters('location')]",
        "properties": {"tenantId": "[subscription().tenantId]",
                       "sku": {"family": "A", "name": "standard"},
                       "enableRbacAuthorization": True, "enablePurgeProtection": True},
    }


def arm_site(rng, team, noun, with_slot):
    function = rng.random() < 0.35
    site = {
        "type": "Microsoft.Web/sites", "apiVersion": "2023-12-01",
        "name": "[parameters('siteName')]", "location": "[parameters('location')]",
        "kind": "functionapp,linux" if function else "app,linux",
        "dependsOn": ["[resourceId('Microsoft.Web/serverfarms', parameters('planName'))]"],
        "properties": {
            "serverFarmId": "[resourceId('Microsoft.Web/serverfarms', parameters('planName'))]",
            "httpsOnly": True,
            "clientCertEnabled": "[parameters('clientCertEnabled')]",
            "clientCertMode": "[parameters('clientCertMode')]",
            "siteConfig": {"linuxFxVersion": "DOTNETCORE|8.0", "minTlsVersion": "1.2",
                           "ftpsState": "Disabled"},
        },
    }
    if with_slot:
        site["resources"] = [{
            "type": "slots", "apiVersion": "2023-12-01", "name": "staging",
            "location": "[parameters('location')]",
            "dependsOn": ["[resourceId('Microsoft.Web/sites', parameters('siteName'))]"],
            "properties": {"clientCertEnabled": rng.random() < 0.5, "clientCertMode": "Optional"},
        }]
    plan = {"type": "Microsoft.Web/serverfarms", "apiVersion": "2023-12-01",
            "name": "[parameters('planName')]", "location": "[parameters('location')]",
            "sku": {"name": rng.choice(["P1v3", "S1", "EP1"])}, "kind": "linux",
            "properties": {"reserved": True}}
    return [plan, site]


def arm_template(parameters, resources):
    return json.dumps({"$schema": ARM_SCHEMA, "contentVersion": "1.0.0.0",
                       "parameters": parameters, "resources": resources,
                       "outputs": {}}, indent=2) + "\n"


def arm_params(values):
    return json.dumps({"$schema": PARAM_SCHEMA, "contentVersion": "1.0.0.0",
                       "parameters": {k: {"value": v} for k, v in values.items()}},
                      indent=2) + "\n"


def arm_unit(rng, tree, base, team, site):
    common = {"location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
              "environment": {"type": "string", "allowedValues": ENVS, "defaultValue": "dev"}}
    noun = rng.choice(NOUNS)
    if not site:
        resources = [arm_storage(rng, team)] + ([arm_vault(rng, team)] if rng.random() < 0.5 else [])
        tree.write(f"{base}/azuredeploy.json", arm_template(common, resources))
        tree.write(f"{base}/azuredeploy.parameters.json", arm_params({"environment": "dev"}))
        return
    params = dict(common)
    params.update({
        "siteName": {"type": "string", "defaultValue": f"app-{team}-{noun}"},
        "planName": {"type": "string", "defaultValue": f"asp-{team}-{noun}"},
        "clientCertEnabled": {"type": "bool", "defaultValue": rng.random() < 0.5},
        "clientCertMode": {"type": "string", "allowedValues": CERT_MODES,
                           "defaultValue": rng.choice(CERT_MODES)},
    })
    site_resources = arm_site(rng, team, noun, rng.random() < 0.4)
    if rng.random() < 0.3:
        # A main template deploying the site through a linked template next to it.
        tree.write(f"{base}/nested/site.json", arm_template(params, site_resources),
                   declares_site=True)
        link = {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01",
                "name": f"{team}-{noun}-site",
                "properties": {"mode": "Incremental",
                               "templateLink": {"relativePath": "nested/site.json"},
                               "parameters": {"siteName": {"value": f"app-{team}-{noun}"},
                                              "clientCertEnabled": {"value": True}}}}
        tree.write(f"{base}/azuredeploy.json",
                   arm_template(common, [arm_storage(rng, team), link]))
    else:
        tree.write(f"{base}/azuredeploy.json",
                   arm_template(params, site_resources + [arm_storage(rng, team)]),
                   declares_site=True)
        tree.write(f"{base}/azuredeploy.parameters.json", arm_params({"environment": "dev"}))
        if rng.random() < 0.5:
            tree.write(f"{base}/azuredeploy.parameters.prod.json",
                       arm_params({"environment": "prod", "clientCertEnabled": True,
                                   "clientCertMode": "Required"}))
    tree.write(f"{base}/README.md", lines(f"# {team} {noun}", "",
                                          "Deploy with `az deployment group create`."))


# ---------------------------------------------------------------- Bicep

def bicep_storage(rng, team):
    return lines(
        "@description('Where the resources go.')",
        "param location string = resourceGroup().location",
        "param environment string = 'dev'",
        "",
        "resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {",
        f"  name: 'st${{uniqueString(resourceGroup().id)}}{team}'",
        "  location: location",
        "  kind: 'StorageV2'",
        f"  sku: {{ name: '{rng.choice(['Standard_LRS', 'Standard_ZRS'])}' }}",
        "  properties: {",
        "    minimumTlsVersion: 'TLS1_2'",
        "    allowBlobPublicAccess: false",
        "  }",
        f"  tags: {{ team: '{team}', environment: environment }}",
        "}",
        "",
        "output storageId string = storage.id")


def bicep_site(rng, team, noun):
    function = rng.random() < 0.35
    enabled = "true" if rng.random() < 0.5 else "false"
    parts = [
        "@description('The site name.')",
        "param siteName string",
        "param location string = resourceGroup().location",
        f"param clientCertEnabled bool = {enabled}",
        "@allowed([ 'Required', 'Optional', 'OptionalInteractiveUser' ])",
        f"param clientCertMode string = '{rng.choice(CERT_MODES)}'",
        "",
        "resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {",
        f"  name: 'asp-{team}-{noun}'",
        "  location: location",
        f"  sku: {{ name: '{rng.choice(['P1v3', 'S1', 'EP1'])}' }}",
        "  kind: 'linux'",
        "  properties: { reserved: true }",
        "}",
        "",
        "resource site 'Microsoft.Web/sites@2023-12-01' = {",
        "  name: siteName",
        "  location: location",
        f"  kind: '{'functionapp,linux' if function else 'app,linux'}'",
        "  properties: {",
        "    serverFarmId: plan.id",
        "    httpsOnly: true",
        "    clientCertEnabled: clientCertEnabled",
        "    clientCertMode: clientCertMode",
        "    siteConfig: {",
        "      minTlsVersion: '1.2'",
        "      ftpsState: 'Disabled'",
        "    }",
        "  }",
        "}",
    ]
    if rng.random() < 0.4:
        parts += ["",
                  "resource staging 'Microsoft.Web/sites/slots@2023-12-01' = {",
                  "  parent: site",
                  "  name: 'staging'",
                  "  location: location",
                  "  properties: {",
                  "    clientCertEnabled: clientCertEnabled",
                  "    clientCertMode: 'Optional'",
                  "  }",
                  "}"]
    parts += ["", "output hostName string = site.properties.defaultHostName"]
    return lines(*parts)


def bicep_unit(rng, tree, base, team, site):
    noun = rng.choice(NOUNS)
    main = ["targetScope = 'resourceGroup'", "",
            "param location string = resourceGroup().location",
            "param environment string = 'dev'"]
    if site:
        main += ["param clientCertEnabled bool = true", ""]
        main += [f"module site 'modules/site.bicep' = {{",
                 f"  name: '{team}-{noun}-site'",
                 "  params: {",
                 f"    siteName: 'app-{team}-{noun}-${{environment}}'",
                 "    location: location",
                 "    clientCertEnabled: clientCertEnabled",
                 "  }", "}", ""]
        tree.write(f"{base}/modules/site.bicep", bicep_site(rng, team, noun), declares_site=True)
    uses_local = rng.random() < 0.5
    if uses_local:
        main += ["module storage 'modules/storage.bicep' = {",
                 f"  name: '{team}-storage'",
                 "  params: {", "    location: location", "    environment: environment",
                 "  }", "}", ""]
        tree.write(f"{base}/modules/storage.bicep", bicep_storage(rng, team))
    else:
        main += ["", bicep_storage(rng, team).split("\n\n", 1)[1]]
    if rng.random() < 0.3:
        main += ["module network 'br/public:avm/res/network/virtual-network:0.5.1' = {",
                 f"  name: '{team}-vnet'",
                 f"  params: {{ name: 'vnet-{team}', addressPrefixes: [ '10.0.0.0/16' ] }}",
                 "}"]
    tree.write(f"{base}/main.bicep", lines(*main))
    for env in rng.sample(ENVS, k=rng.randint(1, 2)):
        values = ["using './main.bicep'", "", f"param environment = '{env}'"]
        if site:
            values.append(f"param clientCertEnabled = {'true' if env == 'prod' else 'false'}")
        tree.write(f"{base}/main.{env}.bicepparam", lines(*values))


# ---------------------------------------------------------------- unrelated files

def unrelated(rng, tree, base, team):
    """An application directory: code, manifests, pipelines, docs; no infrastructure."""
    noun = rng.choice(NOUNS)
    makers = [
        ("README.md", lambda: lines(f"# {team}-{noun}", "",
                                    f"Owned by the {team} team. See docs/ for the runbook.",
                                    "", "## Build", "", "```sh", "make build", "```", "",
                                    "## Configuration", "",
                                    "Settings come from environment variables; the defaults",
                                    "are in appsettings.json. Secrets are read from Key Vault",
                                    "through the managed identity, never from files.", "",
                                    "## Deploy", "",
                                    "Merges to main deploy to dev; tags deploy to prod after",
                                    "the change advisory board approves the release.")),
        (f"src/{noun}.py", lambda: lines(
            "import json", "import logging", "", "LOG = logging.getLogger(__name__)", "", "",
            f"def handle_{noun}(event):",
            "    body = json.loads(event['body'])",
            f"    LOG.info('{noun} request %s', body.get('id'))",
            "    return {'status': 200, 'body': json.dumps(body)}",
            "", "",
            f"def validate_{noun}(body):",
            "    missing = [key for key in ('id', 'tenant', 'payload') if key not in body]",
            "    if missing:",
            "        raise ValueError(f'missing fields: {missing}')",
            "    if len(body['payload']) > 65536:",
            "        raise ValueError('payload too large')",
            "    return body",
            "", "",
            f"def summarise_{noun}(items):",
            "    totals = {}",
            "    for item in items:",
            "        totals[item['kind']] = totals.get(item['kind'], 0) + item['amount']",
            "    return sorted(totals.items(), key=lambda pair: -pair[1])")),
        ("package.json", lambda: json.dumps({
            "name": f"@{team}/{noun}", "version": f"1.{rng.randint(0, 40)}.{rng.randint(0, 9)}",
            "private": True, "scripts": {"build": "tsc -p .", "test": "vitest run"},
            "dependencies": {"express": "^4.19.2", "zod": "^3.23.8"},
            "devDependencies": {"typescript": "^5.5.4", "vitest": "^2.0.5"}}, indent=2) + "\n"),
        ("tsconfig.json", lambda: json.dumps({
            "compilerOptions": {"target": "ES2022", "module": "NodeNext", "strict": True,
                                "outDir": "dist"}, "include": ["src"]}, indent=2) + "\n"),
        ("deploy/k8s.yaml", lambda: lines(
            "apiVersion: apps/v1", "kind: Deployment", "metadata:", f"  name: {team}-{noun}",
            "spec:", f"  replicas: {rng.randint(1, 6)}", "  template:", "    spec:",
            "      containers:", f"        - name: {noun}",
            f"          image: acr{team}.azurecr.io/{noun}:{rng.randint(100, 999)}")),
        ("azure-pipelines.yml", lambda: lines(
            "trigger:", "  branches:", "    include: [ main ]", "pool:",
            "  vmImage: ubuntu-latest", "steps:", "  - script: make test",
            "    displayName: Test")),
        ("appsettings.json", lambda: json.dumps({
            "Logging": {"LogLevel": {"Default": "Information"}},
            "AllowedHosts": "*", "FeatureFlags": {noun: rng.random() < 0.5}}, indent=2) + "\n"),
        ("docs/runbook.md", lambda: lines(f"# Runbook: {team} {noun}", "",
                                          "1. Check the dashboard.", "2. Page the on-call.")),
    ]
    for name, make in rng.sample(makers, k=rng.randint(3, len(makers))):
        tree.write(f"{base}/{name}", make())


# ---------------------------------------------------------------- the whole tree

def generate(root, files, seed):
    rng = random.Random(seed)
    tree = Tree(root, files)
    site_target = max(1, round(files * SITE_SHARE))
    local_modules = []
    unit = 0
    while not tree.full():
        unit += 1
        team = rng.choice(TEAMS)
        # Sites are spread evenly: a unit declares one when the tree is behind its 1% share.
        wants_site = tree.site_files < site_target * (tree.count + 8) / files
        kind = rng.choices(["tf", "arm", "bicep", "other"], weights=[45, 12, 10, 33])[0]
        if kind == "tf":
            area = f"terraform/{team}"
            if wants_site and rng.random() < 0.75:
                module = f"terraform/modules/{team}-{rng.choice(NOUNS)}-site-{unit}"
                tf_site_module(rng, tree, module, team, rng.choice(NOUNS))
                tf_stack(rng, tree, f"{area}/stack-{unit}", team, local_modules, site_module=module)
            elif wants_site:
                tf_stack(rng, tree, f"{area}/stack-{unit}", team, local_modules, inline_site=True)
            elif rng.random() < 0.35 or not local_modules:
                module = f"terraform/modules/{rng.choice(OTHER_MODULES)}-{unit}"
                tf_plain_module(rng, tree, module, team)
                local_modules.append(module)
            else:
                tf_stack(rng, tree, f"{area}/stack-{unit}", team, local_modules)
        elif kind == "arm":
            arm_unit(rng, tree, f"arm/{team}/{rng.choice(NOUNS)}-{unit}", team, wants_site)
        elif kind == "bicep":
            bicep_unit(rng, tree, f"bicep/{team}/{rng.choice(NOUNS)}-{unit}", team, wants_site)
        else:
            unrelated(rng, tree, f"apps/{team}/{rng.choice(NOUNS)}-{unit}", team)
    return tree


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out")
    parser.add_argument("files", type=int)
    parser.add_argument("--seed", type=int, default=20261130)
    args = parser.parse_args()
    if os.path.exists(args.out) and os.listdir(args.out):
        sys.exit(f"{args.out} exists and is not empty")
    tree = generate(args.out, args.files, args.seed)
    print(f"{tree.count} files, {tree.bytes} bytes, {tree.site_files} declaring a site "
          f"({100 * tree.site_files / tree.count:.2f}%)", file=sys.stderr)


if __name__ == "__main__":
    main()
