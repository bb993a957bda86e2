output "addresses" {
  description = "Tenancy IPv4 address of each instance, in hostname order (<name>-1 first)."
  value       = maestro_server_instance.this[*].ip_address
}

output "instances" {
  description = "Each instance by id: the server it got, its address, hostname and switch ports (\"switch/port\")."
  value = {
    for i in maestro_server_instance.this : i.id => {
      server_id    = i.server_id
      ip_address   = i.ip_address
      hostname     = i.hostname
      switch_ports = i.switch_ports
    }
  }
}

output "tenancy" {
  description = "The tenancy the instances are in: id, name, cidr, vlan_id, gateway."
  value       = local.tenancy
}
