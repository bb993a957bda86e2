# Configure switch ports through the Maestro engine.
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

# A server-facing access port in VLAN 110.
resource "maestro_switch_port" "web" {
  switch      = "leaf1"
  port        = "Ethernet1"
  access_vlan = 110
  description = "web-01 eth0"
}

# An uplink carrying two tenant VLANs, jumbo frames.
resource "maestro_switch_port" "uplink" {
  switch        = "leaf1"
  port          = "Ethernet48"
  mode          = "trunk"
  allowed_vlans = [110, 120]
  native_vlan   = 110
  mtu           = 9000
  description   = "uplink to leaf2"
}

resource "maestro_switch_port" "uplink_leaf2" {
  switch        = "leaf2"
  port          = "Ethernet48"
  mode          = "trunk"
  allowed_vlans = [110, 120]
  native_vlan   = 110
  mtu           = 9000
  description   = "uplink to leaf1"
}

# A port kept administratively down.
resource "maestro_switch_port" "spare" {
  switch      = "leaf2"
  port        = "Ethernet7"
  access_vlan = 120
  admin_state = "down"
}

output "ports" {
  value = { for p in [maestro_switch_port.web, maestro_switch_port.uplink, maestro_switch_port.uplink_leaf2, maestro_switch_port.spare] : p.id => p.mode == "access" ? "access vlan ${p.access_vlan}" : "trunk ${join(",", p.allowed_vlans)}" }
}
