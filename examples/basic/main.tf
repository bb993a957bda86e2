# Two tenancies and four server instances, written with the resources directly:
# "web" gets three instances, which the engine spreads over both leaves; "db"
# gets one. web's instances reach each other across the leaves; nothing in web
# reaches db (their VLANs are separate segments).
# The provider reads MAESTRO_ENDPOINT, MAESTRO_TOKEN_FILE and MAESTRO_CA_CERT_FILE
# (the demo exports them from the engine's data directory).

terraform {
  required_providers {
    maestro = {
      source  = "maestro/maestro"
      version = "0.1.0"
    }
  }
}

provider "maestro" {}

variable "ssh_authorized_keys" {
  description = "OpenSSH public key lines authorized on every instance."
  type        = list(string)
  default     = []
}

resource "maestro_tenancy" "web" {
  name        = "web"
  description = "web tier"
}

resource "maestro_tenancy" "db" {
  name        = "db"
  description = "database tier"
}

resource "maestro_server_instance" "web" {
  count               = 3
  tenancy_id          = maestro_tenancy.web.id
  profile             = "lab"
  image               = "debian-12"
  hostname            = "web-${count.index + 1}"
  ssh_authorized_keys = var.ssh_authorized_keys
}

resource "maestro_server_instance" "db" {
  tenancy_id          = maestro_tenancy.db.id
  profile             = "lab"
  image               = "debian-12"
  hostname            = "db-1"
  ssh_authorized_keys = var.ssh_authorized_keys
  # Runs once after the first boot; its output lands in the engine's job log.
  user_data = <<-EOT
    #!/bin/sh
    echo "db-1 bootstrapped on $(hostname)"
  EOT
}

output "web" {
  description = "web's instances: hostname => address, server and switch ports."
  value = {
    for i in maestro_server_instance.web : i.hostname => {
      ip_address   = i.ip_address
      server_id    = i.server_id
      switch_ports = i.switch_ports
    }
  }
}

output "db" {
  description = "db's instance: address, server and switch ports."
  value = {
    (maestro_server_instance.db.hostname) = {
      ip_address   = maestro_server_instance.db.ip_address
      server_id    = maestro_server_instance.db.server_id
      switch_ports = maestro_server_instance.db.switch_ports
    }
  }
}

output "tenancies" {
  description = "Each tenancy's VLAN, subnet and gateway."
  value = {
    for t in [maestro_tenancy.web, maestro_tenancy.db] : t.name => {
      vlan_id = t.vlan_id
      cidr    = t.cidr
      gateway = t.gateway
    }
  }
}
