variable "name" {
  description = "Name of the cluster: the tenancy it creates (when `tenancy` is null) and the hostname prefix (`<name>-1`, `<name>-2`, ...). 1-60 lowercase letters, digits and dashes, starting and ending with a letter or digit."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,58}[a-z0-9])?$", var.name))
    error_message = "name must be 1-60 lowercase letters, digits and dashes, starting and ending with a letter or digit (it names the tenancy and prefixes the hostnames)."
  }
}

variable "tenancy" {
  description = "Name of an existing tenancy to put the instances in (looked up with the maestro_tenancy data source). null: the module creates a tenancy named after the cluster."
  type        = string
  default     = null

  validation {
    condition     = var.tenancy == null || can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.tenancy))
    error_message = "tenancy must be null (create one) or the name of an existing tenancy: 1-63 lowercase letters, digits and dashes, starting with a letter or digit."
  }
}

variable "tenancy_settings" {
  description = "Network of the tenancy the module creates (only when `tenancy` is null); every field unset is allocated by the engine from its segment pool."
  type = object({
    cidr        = optional(string)
    vlan_id     = optional(number)
    vni         = optional(number)
    mtu         = optional(number)
    description = optional(string)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.tenancy == null || alltrue([for v in values(var.tenancy_settings) : v == null])
    error_message = "tenancy_settings only applies to a tenancy the module creates; with tenancy set to an existing tenancy, leave tenancy_settings empty."
  }
  validation {
    condition     = var.tenancy_settings.cidr == null || can(cidrhost(var.tenancy_settings.cidr, 0))
    error_message = "tenancy_settings.cidr must be an IPv4 subnet such as \"10.64.3.0/24\"."
  }
  validation {
    condition     = var.tenancy_settings.vlan_id == null || try(var.tenancy_settings.vlan_id >= 1 && var.tenancy_settings.vlan_id <= 4094 && floor(var.tenancy_settings.vlan_id) == var.tenancy_settings.vlan_id, false)
    error_message = "tenancy_settings.vlan_id must be a whole number from 1 to 4094."
  }
}

variable "size" {
  description = "Number of instances (servers), 1 to 64. Default 1."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.size >= 1 && var.size <= 64 && floor(var.size) == var.size
    error_message = "size must be a whole number from 1 to 64 (the number of servers in the cluster)."
  }
}

variable "profile" {
  description = "Server profile (class of hardware) every instance is allocated from. Default \"lab\", the profile of the lab's servers; set your data center's profile, e.g. \"compute-large\"."
  type        = string
  default     = "lab"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$", var.profile))
    error_message = "profile must be the name of a server profile of the engine's inventory: letters, digits, dots, dashes and underscores, at most 63."
  }
}

variable "image" {
  description = "OS image installed on every instance: a name under `images:` in the engine's inventory. Default \"debian-12\". Changing it reinstalls (replaces) the instances."
  type        = string
  default     = "debian-12"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$", var.image))
    error_message = "image must be the name of an image of the engine's inventory: letters, digits, dots, dashes and underscores, at most 63."
  }
}

variable "ssh_authorized_keys" {
  description = "OpenSSH public key lines (`ssh-ed25519 AAAA... user@host`) authorized on every instance. Changed in place. Default none."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for k in var.ssh_authorized_keys : can(regex("^(ssh-[a-z0-9]+|ecdsa-sha2-nistp(256|384|521)|sk-[a-z0-9@.-]+) [A-Za-z0-9+/]+={0,3}( [^\\r\\n]*)?$", k))])
    error_message = "each ssh_authorized_keys entry must be one OpenSSH public key line: a key type such as ssh-ed25519, the base64 key and an optional comment, no newline."
  }
}

variable "bootstrap" {
  description = "User data: a shell script each instance runs once after its first boot (output in the engine's job log). Default none. Changing it replaces the instances."
  type        = string
  default     = ""
  nullable    = false
}

variable "power_state" {
  description = "Intended power state of every instance: \"on\" (default) or \"off\". Changed in place."
  type        = string
  default     = "on"
  nullable    = false

  validation {
    condition     = contains(["on", "off"], var.power_state)
    error_message = "power_state must be \"on\" or \"off\"."
  }
}
