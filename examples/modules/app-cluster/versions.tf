terraform {
  # Cross-variable validation (tenancy_settings refers to tenancy) needs 1.9.
  required_version = ">= 1.9"

  required_providers {
    maestro = {
      source  = "maestro/maestro"
      version = ">= 0.1.0"
    }
  }
}
