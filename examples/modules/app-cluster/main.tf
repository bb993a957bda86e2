# An application cluster: a tenancy (existing or created here) and `size` server
# instances in it, named <name>-1 ... <name>-N. The engine places them, spreading
# them over racks and leaves, installs the image and puts their ports in the
# tenancy's VLAN.

data "maestro_tenancy" "existing" {
  count = var.tenancy == null ? 0 : 1
  name  = var.tenancy
}

resource "maestro_tenancy" "this" {
  count       = var.tenancy == null ? 1 : 0
  name        = var.name
  description = coalesce(var.tenancy_settings.description, "app cluster ${var.name}")
  cidr        = var.tenancy_settings.cidr
  vlan_id     = var.tenancy_settings.vlan_id
  vni         = var.tenancy_settings.vni
  mtu         = var.tenancy_settings.mtu
}

locals {
  # The data source and the resource have different attribute sets, so pick field by field.
  created = var.tenancy == null
  tenancy = {
    id      = local.created ? maestro_tenancy.this[0].id : data.maestro_tenancy.existing[0].id
    name    = local.created ? maestro_tenancy.this[0].name : data.maestro_tenancy.existing[0].name
    cidr    = local.created ? maestro_tenancy.this[0].cidr : data.maestro_tenancy.existing[0].cidr
    vlan_id = local.created ? maestro_tenancy.this[0].vlan_id : data.maestro_tenancy.existing[0].vlan_id
    gateway = local.created ? maestro_tenancy.this[0].gateway : data.maestro_tenancy.existing[0].gateway
  }
}

resource "maestro_server_instance" "this" {
  count               = var.size
  tenancy_id          = local.tenancy.id
  profile             = var.profile
  image               = var.image
  hostname            = "${var.name}-${count.index + 1}"
  ssh_authorized_keys = var.ssh_authorized_keys
  user_data           = var.bootstrap
  power_state         = var.power_state
}
